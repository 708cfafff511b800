"""The intake questionnaire, as data.

Each screening stores the version it was taken with and a copy of every question as it was shown
with its answer, so that old screenings read as they were given even after this file changes.
Bump VERSION whenever a question's wording or meaning changes.

The wording here is English and stays plain text (that is what a screening stores); `_` only marks it
for the translation catalogue, and pages translate it when they show it (the intake form, the printed
form, a screening's answers: patients/templatetags/recorded_text.py).
"""

from dataclasses import dataclass, field
from typing import Literal

from django.utils.translation import gettext_noop as _

VERSION = "2026-11"

Kind = Literal["yes_no", "text", "date"]


@dataclass(frozen=True)
class Question:
    key: str  # the answer key the eligibility rules read (patients/eligibility.py)
    text: str
    kind: Kind = "yes_no"
    help: str = ""
    required: bool = True
    follow_ups: tuple["Question", ...] = field(default_factory=tuple)  # asked when the answer is yes


@dataclass(frozen=True)
class Section:
    title: str
    questions: tuple[Question, ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        _("Medical history and medicines"),
        (
            Question("medical_history", _("Medical history: illnesses, operations, hospital stays"), "text",
                     _("Write “none” if there is nothing to note.")),
            Question("current_medicines", _("All current medicines, supplements and herbal remedies"), "text",
                     _("Write “none” if the patient takes nothing.")),
            Question(
                "takes_blood_thinner",
                _("Does the patient take a blood thinner?"),
                help=_("For example aspirin, warfarin, apixaban, rivaroxaban, dabigatran, heparin, clopidogrel, "
                     "ticagrelor, prasugrel."),
                follow_ups=(
                    Question("blood_thinner_name", _("Which blood thinner, and what dose?"), "text"),
                    Question("blood_thinner_prescribed", _("Was it prescribed by a doctor?")),
                ),
            ),
            Question(
                "takes_nsaid",
                _("Does the patient take anti-inflammatory painkillers (NSAIDs)?"),
                help=_("For example ibuprofen, naproxen, diclofenac, ketoprofen, meloxicam, celecoxib."),
                follow_ups=(Question("nsaid_name", _("Which one, and how often?"), "text"),),
            ),
            Question("bleeding_disorder", _("A bleeding or clotting disorder (e.g. haemophilia, von Willebrand)?")),
            Question(
                "isotretinoin_taken",
                _("Has the patient taken isotretinoin (e.g. Roaccutane) for acne?"),
                follow_ups=(Question("isotretinoin_last_dose", _("Date of the last dose"), "date"),),
            ),
        ),
    ),
    Section(
        _("Allergies"),
        (
            Question("allergies", _("Known allergies (medicines, foods, latex, other)"), "text",
                     _("Write “none” if there are none.")),
            Question("allergy_to_components", _("Allergy to any component of the planned products?"),
                     help=_("Vitamins, amino acids, minerals or other ingredients.")),
            Question("allergy_to_local_anaesthetic", _("Allergy to local anaesthetics (e.g. lidocaine cream)?")),
            Question(
                "previous_mesotherapy_reaction",
                _("A reaction to mesotherapy or injections before?"),
                follow_ups=(Question("allergy_details", _("What happened?"), "text"),),
            ),
        ),
    ),
    Section(
        _("Pregnancy"),
        (
            Question("pregnant", _("Is the patient pregnant, or could she be?")),
            Question("breastfeeding", _("Is the patient breastfeeding?")),
        ),
    ),
    Section(
        _("Skin at the treatment area"),
        (
            Question("area_infection", _("An active infection at the area?")),
            Question("area_open_lesion", _("An open wound or lesion at the area?")),
            Question("area_cold_sore", _("A cold sore (herpes) at or near the area?")),
            Question("area_eczema_psoriasis_flare", _("An eczema or psoriasis flare at the area?")),
            Question("area_sunburn", _("Sunburn at the area?")),
        ),
    ),
    Section(
        _("Other conditions"),
        (
            Question("autoimmune_disease", _("An autoimmune disease (e.g. lupus, rheumatoid arthritis)?")),
            Question("insulin_dependent_diabetes", _("Diabetes treated with insulin?")),
            Question("active_cancer_or_treatment", _("Active cancer, or cancer treatment now?")),
            Question("immunosuppressed", _("A weakened immune system or immunosuppressive medicines?")),
            Question("keloid_tendency", _("A tendency to keloid, raised or dark scars?")),
            Question("serious_heart_disease", _("Serious heart disease?")),
            Question("arrhythmia", _("An irregular heartbeat (arrhythmia)?")),
            Question("stroke_or_clot_history", _("A stroke, or blood clots (thrombosis, embolism), ever?")),
            Question(
                "facial_procedure_recent",
                _("Laser treatment, a chemical peel or facial surgery in the last 3 months?"),
                follow_ups=(Question("facial_procedure_last_date", _("Date of the most recent one"), "date"),),
            ),
        ),
    ),
)


def all_questions() -> list[Question]:
    """Every question, follow-ups right after their parent, in the order they are asked."""
    out: list[Question] = []
    for section in SECTIONS:
        for question in section.questions:
            out.append(question)
            out.extend(question.follow_ups)
    return out


def parents() -> dict[str, str]:
    """follow-up key -> the key of the yes/no question that opens it."""
    return {f.key: q.key for section in SECTIONS for q in section.questions for f in q.follow_ups}
