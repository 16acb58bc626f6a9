from rest_framework import serializers

from keten.accounts.models import Organisation


class OrganisationSerializer(serializers.Serializer[Organisation]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    type = serializers.CharField()
    municipality = serializers.CharField(source="municipality.name")
    phone = serializers.CharField()
    email = serializers.EmailField()
