import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.faq import FaqError, decode, parse

from .conftest import SEED, faq_documents, mangled_documents

LIMIT = 1_000_000


def parse_text(text):
    return parse(decode(text.encode("utf-8"), limit=LIMIT))


def test_it_reads_all_twenty_questions_of_the_seed():
    answers = parse(decode(SEED.read_bytes(), limit=LIMIT))
    assert [a.number for a in answers] == list(range(1, 21))
    assert answers[0].question.startswith("What is the current policy in Oklahoma")
    assert answers[0].text.startswith("As of my last update")


def test_it_keeps_inner_numbered_lists_in_the_answer():
    answers = parse(decode(SEED.read_bytes(), limit=LIMIT))
    four = answers[3].text
    assert "1. Encryption:" in four
    assert "4. Regular Audits and Monitoring:" in four
    assert four.index("1. Encryption:") < four.index("4. Regular Audits")
    assert four.endswith("while sharing it with ICE.")


def test_it_keeps_lettered_items():
    answers = parse(decode(SEED.read_bytes(), limit=LIMIT))
    twenty = answers[19].text
    for item in (
        "a. Enhanced immigration enforcement:",
        "b. Preventing fraud:",
        "c. Legal challenges:",
    ):
        assert item in twenty


def test_an_inner_list_restarting_at_one_is_not_taken_for_questions():
    text = "1. What is A?\nIntro:\n1. First point.\n2. Second point.\n2. What is B?\nB is this.\n"
    answers = parse_text(text)
    assert [(a.number, a.question) for a in answers] == [(1, "What is A?"), (2, "What is B?")]
    assert answers[0].text == "Intro:\n1. First point.\n2. Second point."


def test_a_question_mark_inside_a_list_item_is_not_a_question():
    text = (
        "1. What is A?\nThree things:\n1. Is it legal? Yes.\n2. Who decides?\n3. Nobody.\n"
        "2. What is B?\nB is this.\n"
    )
    answers = parse_text(text)
    assert [a.number for a in answers] == [1, 2]
    assert "2. Who decides?" in answers[0].text
    assert answers[1].text == "B is this."


def test_a_list_ending_in_a_question_before_the_real_next_question():
    text = "1. What is A?\nOptions:\n1. Ask.\n2. Or wait?\n2. What is B?\nB.\n"
    answers = parse_text(text)
    assert answers[1].question == "What is B?"
    assert answers[0].text.endswith("2. Or wait?")


def test_blank_lines_between_question_and_answer_or_none():
    text = "1. What is A?\n\n\nA is one.\n\n2. What is B?\nB is two.\n"
    answers = parse_text(text)
    assert [a.text for a in answers] == ["A is one.", "B is two."]


def test_numbered_paragraphs_inside_an_answer_stay_in_it():
    text = "1. What is A?\n1. A first paragraph.\n\n2. A second paragraph.\n2. What is B?\nB.\n"
    answers = parse_text(text)
    assert answers[0].text == "1. A first paragraph.\n\n2. A second paragraph."


def test_curly_quotes_survive():
    text = "1. What’s “A”?\nIt’s “quoted”.\n"
    answers = parse_text(text)
    assert answers[0].question == "What’s “A”?"
    assert answers[0].text == "It’s “quoted”."


def test_crlf_line_endings_are_normalised():
    text = "1. What is A?\r\nA is one.\r\nStill A.\r\n2. What is B?\r\nB.\r\n"
    answers = parse_text(text)
    assert answers[0].text == "A is one.\nStill A."
    assert "\r" not in answers[1].text


def test_a_document_cut_off_mid_word_keeps_its_last_answer():
    text = "1. What is A?\nA is one.\n2. What is B?\nB is partly writ"
    answers = parse_text(text)
    assert answers[-1].text == "B is partly writ"


def test_a_question_cut_off_before_its_mark_joins_the_previous_answer():
    text = "1. What is A?\nA is one.\n2. What is"
    answers = parse_text(text)
    assert len(answers) == 1
    assert answers[0].text == "A is one.\n2. What is"


def test_preamble_before_the_first_question_is_left_out():
    text = "Oklahoma FAQ\n\n1. What is A?\nA is one.\n"
    assert parse_text(text)[0].text == "A is one."


def test_a_question_numbered_twice_is_refused_not_swallowed():
    text = "1. What is A?\nA.\n2. What is B?\nB.\n2. What is C?\nC.\n3. What is D?\nD.\n"
    with pytest.raises(FaqError, match=r"^question 2 appears twice, on lines 3 and 5$"):
        parse_text(text)


def test_questions_out_of_order_are_refused_not_swallowed():
    text = "1. What is A?\nA.\n3. What is C?\nC.\n2. What is B?\nB.\n4. What is D?\nD.\n"
    with pytest.raises(FaqError) as info:
        parse_text(text)
    assert str(info.value) == (
        "question 3 on line 3 is out of order: question 1 should be followed by question 2"
    )


def test_a_question_before_question_one_is_refused():
    with pytest.raises(FaqError, match="question 2 on line 1 comes before question 1"):
        parse_text("2. What is B?\nB.\n1. What is A?\nA.\n")


def test_a_list_of_questions_inside_an_answer_is_not_taken_for_strays():
    text = (
        "1. What is A?\nA.\n2. What do people ask?\nThey ask:\n1. Is it legal?\n2. Who pays?\n"
        "3. What is C?\nC.\n4. What is D?\nD.\n"
    )
    answers = parse_text(text)
    assert [a.number for a in answers] == [1, 2, 3, 4]
    assert answers[1].text == "They ask:\n1. Is it legal?\n2. Who pays?"


def test_every_kind_of_line_break_ends_a_line():
    # Word's manual line break, a PDF's page break, NEL, Unicode line and paragraph separators.
    for brk in ("\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\r"):
        answers = parse_text(f"1. What is A?{brk}A.{brk}2. What is B?{brk}B.")
        assert [(a.question, a.text) for a in answers] == [
            ("What is A?", "A."),
            ("What is B?", "B."),
        ]


def test_arabic_and_full_width_question_marks_end_a_question():
    answers = parse_text("1. هل هذا سؤال؟\nنعم.\n2. これは質問ですか？\nはい。\n3. Is it?\nYes.\n")
    assert [a.question for a in answers] == ["هل هذا سؤال؟", "これは質問ですか？", "Is it?"]


def test_a_file_full_of_repeated_numbers_is_refused_at_the_first_repeat():
    text = "1. Is it?\nYes.\n2. Is it?\nNo.\n" * 60_000  # 1.8 MB
    # Each candidate used to be compared with every later one: hours for this file. `make
    # bench` times it at two sizes (benchmarks/extraction.py).
    with pytest.raises(FaqError, match="question 1 appears twice, on lines 1 and 5"):
        parse(text)


def test_closing_parenthesis_numbering_is_accepted():
    answers = parse_text("1) What is A?\nA.\n2) What is B?\nB.\n")
    assert [a.question for a in answers] == ["What is A?", "What is B?"]


def test_a_question_without_an_answer_is_refused():
    with pytest.raises(FaqError, match="question 2 has no answer"):
        parse_text("1. What is A?\nA.\n2. What is B?\n\n3. What is C?\nC.\n")


def test_no_question_is_refused():
    with pytest.raises(FaqError, match="no numbered questions found"):
        parse_text("Just some prose.\nNo questions here.\n")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file is empty"),
        (b"  \n\t\n", "file holds only whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks binary"),
        ("1. Qué?\nSí.\n".encode("latin-1"), "not valid UTF-8 (byte 0xe9 at offset 5)"),
        ("1. Q?\nA.\n".encode("utf-16"), "UTF-16"),
        (b"<!DOCTYPE html><html><body>1. Q?</body></html>", "HTML page"),
        (b'<?xml version="1.0"?>\n<html>\n1. Q?\nA.\n</html>', "HTML page"),
        (b"<!-- saved from url=(0022)x -->\n<html>\n1. Q?\nA.\n", "HTML page"),
        (b"\n<body>\n1. Q?\nA.\n</body>", "HTML page"),
        ("1. Q?\nA.\n".encode("utf-32"), "UTF-32"),
        (b"\xef\xbb\xbf \n", "file holds only whitespace"),
        ("\u00a0\u3000\n".encode(), "file holds only whitespace"),
        (b"1. Q?\nA\x07.\n", "control character U+0007 on line 2"),
        (b"x" * 101, "101 bytes; the import limit is 100 bytes"),
    ],
)
def test_bad_input_gets_one_clear_line(data, message):
    with pytest.raises(FaqError) as info:
        parse(decode(data, limit=100))
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_a_utf8_byte_order_mark_is_dropped():
    answers = parse(decode("\ufeff1. Q?\nA.\n".encode(), limit=LIMIT))
    assert answers[0].question == "Q?"


@pytest.mark.fuzz
@given(st.text(alphabet=st.sampled_from(list("12. ?\nab:Qc")), max_size=300))
def test_parse_never_fails_except_with_a_clear_error(text):
    try:
        answers = parse(text)
    except FaqError as exc:
        assert "\n" not in str(exc)
        return
    numbers = [a.number for a in answers]
    assert numbers == list(range(1, len(numbers) + 1))
    for answer in answers:
        assert answer.text and answer.text in text


@pytest.mark.fuzz
@given(faq_documents())
def test_any_well_formed_faq_reads_back_exactly(document):
    text, expected = document
    answers = parse(decode(text.encode("utf-8"), limit=LIMIT))
    assert [(a.number, a.question, a.text) for a in answers] == expected


@pytest.mark.fuzz
@given(mangled_documents())
def test_any_bytes_are_read_or_refused_in_one_line(data):
    try:
        text = decode(data, limit=LIMIT)
        answers = parse(text)
    except FaqError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert [a.number for a in answers] == list(range(1, len(answers) + 1))
    for answer in answers:
        assert answer.text.strip() and answer.text in text
        assert answer.question.endswith(("?", "؟", "？", ")", "]", "'", '"', "”", "’"))
