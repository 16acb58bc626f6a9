from rest_framework import serializers


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    type = serializers.CharField()
    municipality = serializers.CharField(source="municipality.name")
    phone = serializers.CharField()
    email = serializers.EmailField()
