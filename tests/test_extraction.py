from hypothesis import given
from hypothesis import strategies as st

from claims.extraction import extract
from claims.extraction.lexicon import patterns


def kinds(text):
    return [(s.quote, s.kind, s.checkworthy) for s in extract(text)]


def test_each_sentence_becomes_a_span_that_slices_the_text():
    text = "Oklahoma has a law. The law took effect in 2019."
    spans = extract(text)
    assert [s.quote for s in spans] == ["Oklahoma has a law", "The law took effect in 2019"]
    for s in spans:
        assert text[s.start : s.end] == s.quote


def test_list_markers_and_item_headings_are_not_part_of_the_claim():
    text = (
        "Measures:\n1. Encryption: States encrypt data at rest.\n"
        "a. Access Control: Access is limited."
    )
    quotes = [s.quote for s in extract(text)]
    assert "States encrypt data at rest" in quotes
    assert "Access is limited" in quotes
    assert not any("Encryption" in q or "Access Control:" in q for q in quotes)


def test_a_heading_alone_yields_no_claim():
    assert [s.quote for s in extract("1. Benefits:\na. Speed: It is fast.")] == ["It is fast"]


def test_advice_is_not_checkworthy():
    spans = extract(
        "It is recommended to reach out to the agency. "
        "It is important for agencies to follow the rules. "
        "Residents should consult a lawyer."
    )
    assert [s.kind for s in spans] == ["advice", "advice", "advice"]
    assert not any(s.checkworthy for s in spans)
    assert all(s.rule.startswith("advice.txt:") for s in spans)


def test_lead_ins_are_trimmed_from_the_span():
    text = "As of my last update, the state does not have a policy. However, agencies share data."
    assert [s.quote for s in extract(text)] == [
        "the state does not have a policy",
        "agencies share data",
    ]


def test_standalone_text_is_a_full_sentence():
    (span,) = extract("As of my last update, the state does not have a policy.")
    assert span.text == "The state does not have a policy."


def test_a_hedge_in_the_main_clause_makes_a_hedge():
    (span,) = extract("Individual agencies may have their own guidelines.")
    assert (span.kind, span.checkworthy) == ("hedge", False)
    assert span.rule.startswith("hedges.txt:")


def test_a_hedge_inside_a_relative_clause_leaves_a_fact():
    (span,) = extract("ICE uses the data to identify individuals who may be receiving benefits.")
    assert (span.kind, span.checkworthy) == ("fact", True)


def test_important_to_note_is_a_lead_in_not_advice():
    (span,) = extract("It is important to note that Oklahoma passed HB 1804 in 2007.")
    assert span.quote == "Oklahoma passed HB 1804 in 2007"
    assert span.kind == "fact"


def test_meta_text_is_not_checkworthy():
    spans = extract(
        "Here are some possible outcomes for the families involved:\n"
        "This can have both benefits and drawbacks."
    )
    assert [s.kind for s in spans] == ["meta", "meta"]
    assert not any(s.checkworthy for s in spans)


def test_facts_with_names_and_numbers_score_higher():
    plain, named = extract("The rule is strict. Oklahoma passed HB 1804 in 2007.")
    assert named.score > plain.score
    assert 0 <= plain.score <= 1 and 0 <= named.score <= 1


def test_every_lexicon_line_compiles_and_is_named_by_file_and_line():
    for name in ("advice", "meta", "lead_ins", "opinion", "predictions"):
        entries = patterns(name)
        assert entries
        assert all(e.rule.startswith(f"{name}.txt:") for e in entries)


@given(st.text(max_size=400))
def test_spans_always_slice_the_text_exactly(text):
    previous_end = 0
    for span in extract(text):
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == span.quote
        assert "\n" not in span.quote
        assert span.start >= previous_end
        previous_end = span.end
