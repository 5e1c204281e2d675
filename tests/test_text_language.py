"""The language check: telegraphic English passes, other languages do not (our own sentences)."""

from __future__ import annotations

import pytest

from geo_events.text.language import text_problem

NOT_ENGLISH = "not English (too few English function words)"


@pytest.mark.parametrize(
    "text",
    [
        "Pokot raiders kill civilians and steal cattle near the border",
        "Toposa ethnic militia attacks Turkana herdsmen, killing four",
        "Kenyan police reservist shot dead while patrolling market; perpetrators unknown",
        "Suspected militants kill two police officers near Somali border",
        "Explosion injures police officers; officials suspect insurgents",
        "Rioters torch government offices, loot shops in provincial capital",
        "Students protest over strict head teacher; police disperse protesters without incident",
        "Traders stage street protests over market stalls allocation",
    ],
)
def test_telegraphic_english_passes(text: str) -> None:
    assert text_problem(text) == ""


@pytest.mark.parametrize(
    "text",
    [
        # German, a headline too
        "Bewaffnete Männer haben am Montag ein Dorf im Norden angegriffen und mehrere Zivilisten getötet.",
        "Polizei nimmt nach Protesten in der Hauptstadt zahlreiche Demonstranten fest",
        # French
        "Des hommes armés ont attaqué un village dans le nord du pays, tuant plusieurs civils.",
        "Attaque meurtrière contre une base militaire au nord du Mali, douze soldats tués",
        # Spanish ("a" and "en" alone are no English)
        "Hombres armados atacaron el lunes una aldea en el norte y mataron a varios civiles.",
        "Manifestantes protestan contra el gobierno en la capital tras la subida de precios",
        # Portuguese, Italian, Dutch
        "Homens armados atacaram uma aldeia no norte do país e mataram vários civis.",
        "Uomini armati hanno attaccato un villaggio nel nord del paese, uccidendo diversi civili.",
        "Gewapende mannen hebben maandag een dorp in het noorden aangevallen en burgers gedood.",
        # Swahili, Somali, Hausa
        "Watu wenye silaha wamevamia kijiji katika kaunti ya Lamu na kuwaua raia watatu.",
        "Polisi wawakamata waandamanaji kumi na wawili mjini Kisumu baada ya maandamano",
        "Koox hubeysan ayaa weerar ku qaaday tuulo ku taala gobolka waxaana ku dhintay saddex qof.",
        "'Yan bindiga sun kai hari a wani kauye a jihar inda suka kashe mutane uku a cikin dare.",
        # Indonesian, Tagalog, Turkish
        "Sekelompok pria bersenjata menyerang sebuah desa di utara dan menewaskan tiga warga sipil.",
        "Sinalakay ng mga armadong lalaki ang isang baryo sa hilaga at pinatay ang tatlong sibilyan.",
        "Silahlı kişiler kuzeydeki bir köye saldırdı ve polis açıklamasına göre üç sivil öldü.",
    ],
)
def test_other_languages_are_refused(text: str) -> None:
    assert text_problem(text) == NOT_ENGLISH


def test_english_with_foreign_names_passes() -> None:
    text = (
        "Protesters marched in Dar es Salaam and outside the offices of Ciudad de la Paz on Monday."
    )
    assert text_problem(text) == ""


def test_foreign_words_can_be_passed() -> None:
    text = "Kiongozi wa kundi alisema wapiganaji wameondoka mjini Lamu jana usiku"
    assert text_problem(text, foreign_words=frozenset()) == NOT_ENGLISH  # no English evidence
    assert text_problem(text, foreign_words=frozenset({"wa"})) == NOT_ENGLISH
