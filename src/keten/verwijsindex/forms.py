"""Forms of the verwijsindex pages. They check the shape of the input; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keten.accounts.models import OrganisationType
from keten.core.crypto import validate_bsn
from keten.core.forms import KetenForm
from keten.verwijsindex import services
from keten.verwijsindex.models import IndexSettings

CHOICE_TEMPLATE = "keten/_choice_field.html"

#: The statutory risks (Jeugdwet) in plain Dutch, keyed a–l.
RISK_LABELS: dict[str, Any] = {
    "a": _("a. Slachtoffer van geestelijk, lichamelijk of seksueel geweld, vernederende behandeling of verwaarlozing"),
    "b": _(
        "b. Meer of andere psychische problemen dan gewoon voor de leeftijd, ook verslaving (alcohol, drugs, gokken)"
    ),
    "c": _("c. Meer dan gewone ernstige problemen bij het opgroeien of de opvoeding"),
    "d": _("d. Minderjarige moeder of zwanger"),
    "e": _("e. Vaak afwezig op school, of (dreigend) voortijdig schoolverlaten"),
    "f": _("f. Niet gemotiveerd om met legaal werk een inkomen te verdienen"),
    "g": _("g. Meer of andere geldproblemen dan gewoon voor de leeftijd"),
    "h": _("h. Geen vaste woon- of verblijfplaats"),
    "i": _("i. Een gevaar voor anderen door lichamelijk of geestelijk geweld of ander intimiderend gedrag"),
    "j": _("j. Betrokken bij criminele activiteiten"),
    "k": _("k. Ouders of verzorgers schieten ernstig tekort in de zorg of opvoeding"),
    "l": _("l. Blootgesteld aan risico's die onevenredig vaak voorkomen bij bepaalde etnische groepen"),
}

DEFAULT_CRITERIA_TEXT = _(
    "Registreer een jongere alleen als u een redelijk vermoeden heeft dat een gezonde en veilige ontwikkeling "
    "naar volwassenheid echt wordt bedreigd, door een of meer van de risico's uit de wet. Een hulpvraag of "
    "een lopend traject is op zich geen reden. Meestal gaat het om een combinatie van problemen."
)
DEFAULT_CRITERIA_ITEMS: list[dict[str, Any]] = [
    {"code": "1", "label": _("Ik heb een redelijk vermoeden dat de ontwikkeling van de jongere wordt bedreigd.")},
    {"code": "2", "label": _("Het gaat om een of meer van de risico's a tot en met l uit de wet.")},
    {"code": "3", "label": _("Samenwerking met andere betrokken professionals is in het belang van de jongere.")},
]


def criteria_for(rules: IndexSettings) -> tuple[str, list[dict[str, str]]]:
    """The municipality's criteria text and checklist, or sensible defaults."""
    items = [i for i in (rules.criteria_items or []) if isinstance(i, dict) and i.get("label")]
    return (
        rules.criteria_text.strip() or str(DEFAULT_CRITERIA_TEXT),
        [{"code": str(i.get("code") or n), "label": str(i["label"])} for n, i in enumerate(items, 1)]
        or [{"code": str(i["code"]), "label": str(i["label"])} for i in DEFAULT_CRITERIA_ITEMS],
    )


def _use_choice_templates(form: forms.Form) -> None:
    """The one choice-field template for boxes and radio buttons, without the browser's "required"."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            widget.attrs["class"] = "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom"
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            field.template_name = CHOICE_TEMPLATE  # type: ignore[attr-defined]  # not in django-stubs
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.CheckboxInput):
            # A required box is ":invalid" until it is ticked, which the theme paints red.
            widget.use_required_attribute = lambda initial: False  # type: ignore[method-assign]


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegistrationForm(KetenForm):
    criteria = forms.MultipleChoiceField(
        label=_("Welke criteria van de gemeente zijn van toepassing?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één criterium dat van toepassing is.")},
    )
    criteria_confirmed = forms.BooleanField(
        label=_("Ik bevestig dat deze registratie voldoet aan de registratiecriteria van de gemeente."),
        error_messages={"required": _("Bevestig dat de registratie voldoet aan de criteria.")},
    )
    bsn = forms.CharField(
        label=_("BSN van de jongere"),
        required=False,
        max_length=12,
        validators=[validate_bsn],
        help_text=_("Heeft de jongere geen BSN? Laat dit leeg; u krijgt dan zo nodig een voorstel om te bevestigen."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    first_name = forms.CharField(
        label=_("Voornaam"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    last_name = forms.CharField(
        label=_("Achternaam"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    date_of_birth = forms.DateField(label=_("Geboortedatum"), widget=_date_widget())
    parent_bsn_1 = forms.CharField(
        label=_("BSN van een ouder"),
        required=False,
        max_length=12,
        validators=[validate_bsn],
        help_text=_("Zo ziet u ook andere professionals die betrokken zijn bij broers of zussen (gezinsmatch)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    parent_bsn_2 = forms.CharField(
        label=_("BSN van de andere ouder"),
        required=False,
        max_length=12,
        validators=[validate_bsn],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    risk_categories = forms.MultipleChoiceField(
        label=_("Risico's (alleen in uw eigen registratie)"),
        choices=list(RISK_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Wat u hier kiest, staat alleen in uw eigen registratie. Andere professionals en de verwijsindex zelf "
            "zien het niet."
        ),
        error_messages={"required": _("Kies minstens één risico (a tot en met l) uit de wet.")},
    )
    parents_informed_on = forms.DateField(
        label=_("Ouders geïnformeerd op"),
        required=False,
        widget=_date_widget(),
        help_text=_("Verplicht als de jongere jonger is dan 16."),
    )
    youth_informed_on = forms.DateField(
        label=_("Jongere geïnformeerd op"),
        required=False,
        widget=_date_widget(),
        help_text=_("Verplicht als de jongere 12 jaar of ouder is."),
    )
    notice_postponed = forms.BooleanField(label=_("Ik stel het informeren uit"), required=False)
    postpone_motivation = forms.CharField(
        label=_("Waarom stelt u het informeren uit?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alleen invullen als u het informeren uitstelt. U krijgt na twee weken een herinnering."),
    )
    contact_phone = forms.CharField(label=_("Uw telefoonnummer voor collega's"), required=False, max_length=40)
    contact_email = forms.EmailField(label=_("Uw e-mailadres voor collega's"), required=False)
    #: After a proposal without BSN: "nieuw", or the number of the young person chosen as the same.
    identity_choice = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, criteria_items: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(i["code"], i["label"]) for i in criteria_items]
        criteria = self.fields["criteria"]
        assert isinstance(criteria, forms.ChoiceField)
        criteria.choices = choices
        _use_choice_templates(self)

    def clean_postpone_motivation(self) -> str:
        return (self.cleaned_data.get("postpone_motivation") or "").strip()

    def registration(self) -> services.Registration:
        d = self.cleaned_data
        choice = (d.get("identity_choice") or "").strip()
        return services.Registration(
            identity=services.Identity(
                bsn=d.get("bsn") or "",
                first_name=d["first_name"],
                last_name=d["last_name"],
                date_of_birth=d["date_of_birth"],
                parent_bsns=[b for b in (d.get("parent_bsn_1"), d.get("parent_bsn_2")) if b],
            ),
            risk_categories=list(d["risk_categories"]),
            criteria_confirmed=bool(d["criteria_confirmed"] and d["criteria"]),
            parents_informed_on=d.get("parents_informed_on"),
            youth_informed_on=d.get("youth_informed_on"),
            notice_postponed=bool(d.get("notice_postponed")),
            postpone_motivation=d.get("postpone_motivation") or "",
            contact_phone=d.get("contact_phone") or "",
            contact_email=d.get("contact_email") or "",
            confirm_youth_id=int(choice) if choice.isdigit() else None,
            confirm_new_youth=choice == "nieuw",
        )


class NoticeForm(KetenForm):
    parents_informed_on = forms.DateField(label=_("Ouders geïnformeerd op"), required=False, widget=_date_widget())
    youth_informed_on = forms.DateField(label=_("Jongere geïnformeerd op"), required=False, widget=_date_widget())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("parents_informed_on") and not data.get("youth_informed_on") and not self.errors:
            raise forms.ValidationError(_("Vul minstens één datum in."))
        return data


class HistoryForm(KetenForm):
    reason = forms.CharField(
        label=_("Waarom heeft u de geschiedenis nodig?"),
        min_length=10,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Uw naam, de datum en deze reden worden vastgelegd."),
        error_messages={"min_length": _("Geef aan waarom u de geschiedenis raadpleegt (minstens 10 tekens).")},
    )


class InviteForm(KetenForm):
    proposed_on = forms.DateField(label=_("Voorgestelde datum voor een casusoverleg"), widget=_date_widget())


def _type_label(code: str) -> str:
    return str(OrganisationType(code).label) if code in OrganisationType.values else code


class SettingsForm(KetenForm):
    active_months = forms.IntegerField(
        label=_("Looptijd van een signaal (maanden)"),
        min_value=1,
        max_value=24,
        help_text=_("De wet staat maximaal 24 maanden toe. Een kortere looptijd, zoals 12 maanden, mag."),
        error_messages={
            "max_value": _("Kies een looptijd van 1 tot en met 24 maanden."),
            "min_value": _("Kies een looptijd van 1 tot en met 24 maanden."),
        },
    )
    contact_deadline_workdays = forms.IntegerField(
        label=_("Termijn voor contact na een match (werkdagen)"),
        min_value=1,
        max_value=60,
        help_text=_("Is er na deze termijn nog geen contact vastgelegd, dan krijgt de regievoerder een melding."),
        error_messages={
            "max_value": _("Kies een termijn van 1 tot en met 60 werkdagen."),
            "min_value": _("Kies een termijn van 1 tot en met 60 werkdagen."),
        },
    )
    criteria_text = forms.CharField(
        label=_("Uniforme registratiecriteria"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Deze tekst staat boven het registratieformulier."),
    )
    criteria_items = forms.CharField(
        label=_("Checklist (één criterium per regel)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("De professional kiest minstens één criterium uit deze lijst."),
    )
    registering_types = forms.MultipleChoiceField(
        label=_("Soorten organisaties die mogen registreren"),
        choices=OrganisationType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één soort organisatie.")},
    )
    coordinator_preference = forms.CharField(
        label=_("Voorkeur voor de coördinator (één soort organisatie per regel, de eerste heeft de voorkeur)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    coordinator_excluded = forms.MultipleChoiceField(
        label=_("Nooit voorstellen als coördinator"),
        choices=OrganisationType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = ", ".join(str(label) for _v, label in OrganisationType.choices)
        self.fields["coordinator_preference"].help_text = _("Mogelijke soorten: %(names)s.") % {"names": names}
        _use_choice_templates(self)

    @staticmethod
    def initial_for(rules: IndexSettings) -> dict[str, Any]:
        text, items = criteria_for(rules)
        return {
            "active_months": rules.active_months,
            "contact_deadline_workdays": rules.contact_deadline_workdays,
            "criteria_text": text,
            "criteria_items": "\n".join(i["label"] for i in items),
            "registering_types": list(rules.registering_types),
            "coordinator_preference": "\n".join(_type_label(t) for t in rules.coordinator_preference),
            "coordinator_excluded": list(rules.coordinator_excluded),
        }

    def clean_criteria_items(self) -> list[dict[str, str]]:
        lines = [line.strip() for line in (self.cleaned_data.get("criteria_items") or "").splitlines()]
        return [{"code": str(n), "label": line[:300]} for n, line in enumerate((x for x in lines if x), 1)]

    def clean_coordinator_preference(self) -> list[str]:
        by_name = {str(label).lower(): value for value, label in OrganisationType.choices}
        by_name.update({value: value for value in OrganisationType.values})
        result: list[str] = []
        for line in (self.cleaned_data.get("coordinator_preference") or "").splitlines():
            name = line.strip().lower()
            if not name:
                continue
            if name not in by_name:
                raise forms.ValidationError(
                    _("Onbekende soort organisatie: %(name)s. Gebruik de namen uit de lijst.") % {"name": line.strip()}
                )
            if by_name[name] not in result:
                result.append(by_name[name])
        return result

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "active_months": d["active_months"],
            "contact_deadline_workdays": d["contact_deadline_workdays"],
            "criteria_text": d.get("criteria_text", "").strip(),
            "criteria_items": d["criteria_items"],
            "registering_types": list(d["registering_types"]),
            "coordinator_preference": d["coordinator_preference"],
            "coordinator_excluded": list(d.get("coordinator_excluded") or []),
        }


class RegievoerderForm(KetenForm):
    username = forms.CharField(
        label=_("Gebruikersnaam of e-mailadres"),
        max_length=254,
        help_text=_("Van een medewerker van een organisatie in uw gemeente."),
    )
