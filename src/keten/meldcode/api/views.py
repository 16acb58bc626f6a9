"""Meldcode API: the same selectors, services, policy and audit as the traject pages.

Two kinds of caller. A verified browser session of a professional acts as that professional. A
partner organisation's own system acts with its token (scope ``meldcode:write``) *on behalf of one
of its professionals*, named in the ``Keten-Professional`` header (user id or e-mail; resolved by
:mod:`keten.accounts.api.acting`): every entry is still recorded in that person's name, and the policy
checks that person on the dossier's case team — never through their break-the-glass grants or
consultations — so a system can push signals and read the status only where its professional works.

Every view states its ``policy`` and is checked by :class:`~keten.core.access.PolicyPermission`;
``allows()`` answers a system token from the meldcode's ``system_scope`` registrations
(``keten.meldcode.rules``), so a token without the scope finds no endpoint here (404).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from keten.accounts.api.acting import PROFESSIONAL_PARAMETER, api_actor
from keten.accounts.api.authentication import ApiClientTokenAuthentication, VerifiedSessionAuthentication
from keten.core.access import PolicyPermission, check
from keten.core.actor import Actor
from keten.core.errors import DomainError
from keten.dossiers import selectors as dossier_selectors
from keten.meldcode.afwegingskader import services as weging
from keten.meldcode.afwegingskader import tree
from keten.meldcode.afwegingskader.selectors import evaluation
from keten.meldcode.api import serializers as s
from keten.meldcode.consultations import selectors as consultation_selectors
from keten.meldcode.consultations import services as consultations
from keten.meldcode.models import Traject
from keten.meldcode.record import selectors as record
from keten.meldcode.rules import MELDCODE_SCOPE
from keten.meldcode.timeline.selectors import progress
from keten.meldcode.trajecten import selectors, services

SESSION_ONLY = (
    "Needs a browser session that passed two-factor login, or an organisation system token with scope "
    "meldcode:write plus the header Keten-Professional (id or e-mail of an active case-role member of the "
    "token's organisation): every meldcode entry is recorded in that person's name, and only where that "
    "person is on the case team."
)
PARAMETERS = [PROFESSIONAL_PARAMETER]

#: The gates of the meldcode API; which traject: ``meldcode.view_traject`` / ``change_traject``.
VIEW = "meldcode.view_trajecten"
RECORD = "meldcode.record_trajecten"


def _actor(request: Request) -> Actor:
    """The acting professional: the session's user, or the professional a system token names.

    Whether the token may use the endpoint was answered by the policy already (its scope); this
    only resolves the ``Keten-Professional`` header (400 when the system names nobody it may act for).
    """
    return api_actor(request, scope=MELDCODE_SCOPE)


TAGS = ["meldcode"]


class MeldcodeAPIView(APIView):
    authentication_classes = [ApiClientTokenAuthentication, VerifiedSessionAuthentication]
    permission_classes = [PolicyPermission]
    #: Each view states its own; without one, every request is refused.
    policy: str | dict[str, str] = ""

    def get_authenticate_header(self, request: Request) -> str:
        # Without a challenge DRF would answer 403; a missing session or token is a 401 like everywhere else.
        return "Token"


def _list_payload(traject: Traject) -> dict[str, Any]:
    return s.TrajectListSerializer(traject).data


def _detail_payload(actor: Actor, reference: str) -> dict[str, Any]:
    traject = record.traject_get(actor=actor, reference=reference)
    entries = record.timeline(traject)
    ev = evaluation(traject, entries)
    extra = {
        "meldcode_version": traject.meldcode_version,
        "afwegingen_step": traject.afwegingen_step,
        "checklists": [
            {
                "id": c.pk,
                "kind": c.kind,
                "organisation_type": c.organisation_type,
                "version": c.version,
                "title": c.title,
                "items": [{"code": i["code"], "group": i.get("group", ""), "label": i["label"]} for i in c.items],
            }
            for c in traject.checklists.order_by("kind")
        ],
        "evaluation": {
            "outcome": str(ev.outcome),
            "meldnorm": str(ev.meldnorm) if ev.meldnorm else "",
            "next_question": ev.next_question,
            "allowed_decisions": sorted(str(d) for d in tree.allowed_decisions(ev)),
        },
        "steps": [vars(p) for p in progress(traject, entries)],
        "entries": [
            {
                "id": e.pk,
                "kind": e.kind,
                "step": e.step,
                "occurred_on": e.occurred_on,
                "created_at": e.created_at,
                "author": e.author.get_full_name(),
                "organisation": e.organisation.name,
                "corrects": e.corrects_id,
                "corrected": bool(getattr(e, "is_corrected", False)),
            }
            for e in entries
        ],
    }
    return {**_list_payload(traject), **s.TrajectDetailExtraSerializer(extra).data}


def _for_change(request: Request, reference: str) -> tuple[Actor, Traject]:
    actor = _actor(request)
    return actor, record.traject_for_change(actor=actor, reference=reference)


def _created(entry_id: int, traject: Traject) -> Response:
    traject.refresh_from_db()
    return Response({"entry": entry_id, "traject": _list_payload(traject)}, status=status.HTTP_201_CREATED)


class TrajectListView(MeldcodeAPIView):
    policy = {"GET": VIEW, "POST": RECORD}

    @extend_schema(
        operation_id="meldcode_trajecten_list",
        tags=TAGS,
        description="Trajecten in your dossiers and those you were consulted on: status, step, outcome and "
        "deadlines, no free text. " + SESSION_ONLY,
        parameters=[OpenApiParameter("status", str), OpenApiParameter("page", int), *PARAMETERS],
        responses=s.TrajectPageSerializer,
    )
    def get(self, request: Request) -> Response:
        try:
            page = max(1, int(request.query_params.get("page", 1)))
        except (TypeError, ValueError):
            page = 1
        rows, total = selectors.traject_page(
            actor=_actor(request), status=str(request.query_params.get("status", "")), page=page
        )
        return Response({"count": total, "page": page, "results": s.TrajectListSerializer(rows, many=True).data})

    @extend_schema(
        operation_id="meldcode_trajecten_create",
        tags=TAGS,
        parameters=PARAMETERS,
        description="Start a meldcode-traject in a dossier, for one child or the whole family. " + SESSION_ONLY,
        request=s.TrajectCreateSerializer,
        responses={201: s.TrajectDetailSerializer},
    )
    def post(self, request: Request) -> Response:
        actor = _actor(request)
        serializer = s.TrajectCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        dossier = dossier_selectors.dossier_get(actor=actor, reference=data["dossier"], audit_read=False)
        # Only the case team starts a traject: anyone else learns nothing about the family's children.
        check(request, "meldcode.start_traject", dossier)
        child_id = None
        if data.get("child"):
            child_id = selectors.child_of_dossier(dossier=dossier, pseudonym=data["child"])
            if child_id is None:
                raise DomainError(_("Kies een kind uit dit gezin."), field="child")
        traject = services.traject_start(actor=actor, dossier=dossier, child_id=child_id)
        return Response(_detail_payload(actor, traject.reference), status=status.HTTP_201_CREATED)


class TrajectDetailView(MeldcodeAPIView):
    policy = VIEW

    @extend_schema(
        operation_id="meldcode_trajecten_retrieve",
        tags=TAGS,
        parameters=PARAMETERS,
        description="Status of one traject: step, outcome, deadlines, the checklists it uses, where the "
        "afwegingskader stands, what is missing per step and the entries (without their content). " + SESSION_ONLY,
        responses=s.TrajectDetailSerializer,
    )
    def get(self, request: Request, reference: str) -> Response:
        return Response(_detail_payload(_actor(request), reference))


class SignalCreateView(MeldcodeAPIView):
    policy = RECORD

    @extend_schema(
        operation_id="meldcode_signals_create",
        tags=TAGS,
        parameters=PARAMETERS,
        description="Record signals from one of the traject's checklists, with when they were observed, the "
        "source, the facts and (apart from them) the interpretation. " + SESSION_ONLY,
        request=s.SignalCreateSerializer,
        responses={201: s.EntryCreatedSerializer},
    )
    def post(self, request: Request, reference: str) -> Response:
        actor, traject = _for_change(request, reference)
        serializer = s.SignalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        checklist_id = data.get("checklist")
        if not checklist_id:
            checklist = traject.checklists.filter(kind=data["checklist_kind"]).first()
            checklist_id = checklist.pk if checklist else 0
        entry = services.signal_record(
            actor=actor,
            traject=traject,
            data=services.SignalData(
                checklist_id=checklist_id,
                codes=data["codes"],
                observed_on=data["observed_on"],
                source=data["source"],
                facts=data["facts"],
                interpretation=data["interpretation"],
            ),
        )
        return _created(entry.pk, traject)


class ConsultationView(MeldcodeAPIView):
    policy = RECORD

    @extend_schema(
        operation_id="meldcode_consultation_candidates",
        tags=TAGS,
        parameters=PARAMETERS,
        description="Who you can ask for collegiale consultatie: the aandachtsfunctionarissen and colleagues "
        "of your organisation. " + SESSION_ONLY,
        responses=s.CandidateSerializer(many=True),
    )
    def get(self, request: Request, reference: str) -> Response:
        actor, _unused = _for_change(request, reference)
        candidates = consultation_selectors.consultation_candidates(actor=actor)
        return Response(s.CandidateSerializer(candidates, many=True).data)

    @extend_schema(
        operation_id="meldcode_consultations_create",
        tags=TAGS,
        parameters=PARAMETERS,
        description="Ask the aandachtsfunctionaris or a colleague for advice; they get a notification and "
        "answer in their inbox. " + SESSION_ONLY,
        request=s.ConsultationCreateSerializer,
        responses={201: s.ConsultationCreatedSerializer},
    )
    def post(self, request: Request, reference: str) -> Response:
        actor, traject = _for_change(request, reference)
        serializer = s.ConsultationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        consultation = consultations.consultation_request(
            actor=actor,
            traject=traject,
            to_user_id=data["to_user"],
            kind=data["consultation_kind"],
            question=data["question"],
            anonymous=data["anonymous"],
        )
        traject.refresh_from_db()
        return Response(
            {
                "id": consultation.pk,
                "state": consultation.state,
                "requested_at": consultation.requested_at,
                "traject": _list_payload(traject),
            },
            status=status.HTTP_201_CREATED,
        )


class AfwegingCreateView(MeldcodeAPIView):
    policy = RECORD

    @extend_schema(
        operation_id="meldcode_afwegingen_create",
        tags=TAGS,
        parameters=PARAMETERS,
        description="Answer one afweging of the afwegingskader with a motivation, in the order of the tree. "
        + SESSION_ONLY,
        request=s.AfwegingCreateSerializer,
        responses={201: s.EntryCreatedSerializer},
    )
    def post(self, request: Request, reference: str) -> Response:
        actor, traject = _for_change(request, reference)
        serializer = s.AfwegingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entry = weging.afweging_record(
            actor=actor,
            traject=traject,
            number=data["number"],
            answer=data["answer"],
            motivation=data["motivation"],
            with_veilig_thuis=data["with_veilig_thuis"],
            expected_version=data.get("expected_version"),
        )
        return _created(entry.pk, traject)


class DecisionCreateView(MeldcodeAPIView):
    policy = RECORD

    @extend_schema(
        operation_id="meldcode_decisions_create",
        tags=TAGS,
        parameters=PARAMETERS,
        description="Record the decision (afsluiten, hulp, melden, melden_en_hulp), checked against the "
        "afwegingen. " + SESSION_ONLY,
        request=s.DecisionCreateSerializer,
        responses={201: s.EntryCreatedSerializer},
    )
    def post(self, request: Request, reference: str) -> Response:
        actor, traject = _for_change(request, reference)
        serializer = s.DecisionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entry = weging.decision_record(
            actor=actor,
            traject=traject,
            data=weging.DecisionData(
                decision=data["decision"],
                motivation=data["motivation"],
                help_agreements=data["help_agreements"],
                help_evaluation_on=data.get("help_evaluation_on"),
            ),
            expected_version=data.get("expected_version"),
        )
        return _created(entry.pk, traject)
