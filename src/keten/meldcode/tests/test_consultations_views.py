"""Consultation pages over HTTP: the request, the answer and the inbox; the consultee reads without forms."""

from __future__ import annotations

import pytest

from keten.accounts.models import User
from keten.meldcode.consultations import services as consultation_services
from keten.meldcode.models import Consultation, Traject
from keten.meldcode.tests.page_helpers import ActorOf, ClientFor, traject_url

pytestmark = pytest.mark.django_db


def test_consultation_request_answer_and_inbox_count(
    client_for: ClientFor, professional: User, officer: User, traject: Traject
) -> None:
    client = client_for(professional)
    response = client.post(
        traject_url(traject, "consultatie"),
        {
            "cons-kind": "aandachtsfunctionaris",
            "cons-to_user": officer.pk,
            "cons-question": "Zijn deze signalen genoeg om verder te gaan?",
            "cons-anonymous": "ja",
        },
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.anonymous
    af = client_for(officer)
    dashboard = af.get("/").content.decode()
    assert 'href="/meldcode/consultaties/"' in dashboard
    assert "1 open vraag" in dashboard
    assert af.get("/meldcode/consultaties/").status_code == 200
    page = af.get(f"/meldcode/consultaties/{consultation.pk}/")
    assert page.status_code == 200
    # Asked without names: the consultee does not see the family's name.
    assert traject.dossier.family.name not in page.content.decode()
    answered = af.post(f"/meldcode/consultaties/{consultation.pk}/", {"advice": "Ga het gesprek aan met moeder."})
    assert answered.status_code == 302
    assert "Ga het gesprek aan met moeder." in client.get(traject_url(traject)).content.decode()


def test_consultee_reads_without_forms_and_outsider_gets_404_on_the_consultation(
    client_for: ClientFor, professional: User, officer: User, outsider: User, traject: Traject, actor_of: ActorOf
) -> None:
    consultation = consultation_services.consultation_request(
        actor=actor_of(professional),
        traject=traject,
        to_user_id=officer.pk,
        kind="aandachtsfunctionaris",
        question="Wilt u meekijken naar dit traject?",
        anonymous=True,
    )
    af = client_for(officer)
    page = af.get(traject_url(traject))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Namen niet zichtbaar" in html
    assert traject.dossier.family.name not in html
    assert 'name="codes"' not in html
    assert "Corrigeren" not in html
    assert af.post(traject_url(traject, "observatie"), {}).status_code == 404
    assert client_for(outsider).get(f"/meldcode/consultaties/{consultation.pk}/").status_code == 404
    answer = client_for(outsider).post(f"/meldcode/consultaties/{consultation.pk}/", {"advice": "Niet mijn vraag."})
    assert answer.status_code == 404
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.OPEN
