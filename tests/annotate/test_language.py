from storydesk.annotate.language import UNDETERMINED, detect_language


def test_language_detects_english_and_russian() -> None:
    assert (
        detect_language("The minister arrived in Washington for talks with the secretary of state.") == "en"
    )
    assert detect_language("Министр иностранных дел России прибыл в Вашингтон для переговоров.") == "ru"


def test_language_reads_multiline_text() -> None:
    text = "Der Minister kam gestern an.\n\nEr sprach mit dem Außenminister über die Lage in Syrien."
    assert detect_language(text) == "de"


def test_language_undetermined_without_letters() -> None:
    assert detect_language("") == UNDETERMINED
    assert detect_language("12:30 -- 2017/05/09 !!") == UNDETERMINED
