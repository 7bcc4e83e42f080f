import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.extraction import extract
from claims.extraction.lexicon import patterns
from claims.extraction.links import analyse, detect

from .conftest import answer_texts


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


@pytest.mark.fuzz
@given(st.text(max_size=400))
def test_spans_always_slice_the_text_exactly(text):
    previous_end = 0
    for span in extract(text):
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == span.quote
        assert "\n" not in span.quote
        assert span.start >= previous_end
        previous_end = span.end


def quotes(text, **kwargs):
    return [s.quote for s in extract(text, **kwargs)]


def test_sentences_do_not_end_at_abbreviations_or_initials():
    text = "The U.S. Dept. of Labor sued Mr. J. Smith in 2020. He appealed."
    assert quotes(text) == ["The U.S. Dept. of Labor sued Mr. J. Smith in 2020", "He appealed"]


def test_coordinated_clauses_with_their_own_subject_are_split():
    spans = extract("Nevada shares payroll data with ICE, and the state audits every request.")
    assert [s.quote for s in spans] == [
        "Nevada shares payroll data with ICE",
        "the state audits every request",
    ]
    assert spans[1].text == "Nevada audits every request."
    assert spans[1].rule == "coordinate:fact"


def test_coordinated_noun_phrases_are_not_split():
    assert quotes("Texas collects names, and addresses of applicants.") == [
        "Texas collects names, and addresses of applicants"
    ]


def test_a_relative_clause_becomes_its_own_claim_with_its_antecedent():
    spans = extract("Ohio passed Senate Bill 52 in 2019, which requires audits of data requests.")
    assert [s.quote for s in spans] == [
        "Ohio passed Senate Bill 52 in 2019",
        "requires audits of data requests",
    ]
    assert spans[1].rule == "relative:fact"
    assert (
        spans[1].text
        == "Ohio passed Senate Bill 52 in 2019, which requires audits of data requests."
    )


def test_a_relative_clause_names_its_antecedent_when_it_is_a_noun_phrase():
    spans = extract("The key measure is the passage of a privacy act, which bars disclosure.")
    assert spans[1].text == "A privacy act bars disclosure."


def test_a_participial_clause_becomes_its_own_claim():
    spans = extract("Utah publishes an annual report on data requests, ensuring public scrutiny.")
    assert [s.quote for s in spans] == [
        "Utah publishes an annual report on data requests",
        "ensuring public scrutiny",
    ]
    assert spans[1].rule == "participial:fact"
    assert spans[1].text.startswith("Utah publishes an annual report")


def test_after_a_leading_clause_an_ing_word_starts_the_main_clause():
    (span,) = extract("If records are requested, sharing them with ICE could expose families.")
    assert span.kind == "hedge"


def test_elaborations_are_cut_from_the_main_claim():
    spans = extract(
        "Idaho requires a warrant for most requests, including requests from ICE. "
        "The rule covers SNAP data as well as Medicaid records."
    )
    assert [s.quote for s in spans] == [
        "Idaho requires a warrant for most requests",
        "including requests from ICE",
        "The rule covers SNAP data",
        "Medicaid records",
    ]
    assert spans[3].text == "The rule covers SNAP data as well as Medicaid records."


def test_a_second_infinitive_is_its_own_claim():
    assert quotes("Unions worked to block the bill and to publish the agency's memo.") == [
        "Unions worked to block the bill",
        "to publish the agency's memo",
    ]


def test_the_state_is_resolved_to_the_place_the_answer_names():
    (span,) = extract("The state shares records.", question="Does Iowa share records with ICE?")
    assert span.text == "Iowa shares records."
    assert span.unresolved == ()


def test_state_used_as_an_adjective_is_left_alone():
    (span,) = extract("The state agencies share records.", place="Iowa")
    assert span.text == "The state agencies share records."


def test_the_state_without_a_named_place_is_marked_not_guessed():
    (span,) = extract("The state shares records with ICE.")
    assert span.text == "The state shares records with ICE."
    assert span.unresolved == ("The state",)


def test_a_demonstrative_is_resolved_to_what_the_answer_named_earlier():
    spans = extract(
        "Maine signed data-sharing agreements between the labor department and ICE in 2020. "
        "These agreements cover wage records."
    )
    assert spans[1].text == (
        "The data-sharing agreements between the labor department and ICE cover wage records."
    )


def test_an_unresolvable_reference_is_marked():
    spans = extract("Maine keeps records. This restriction protects families.")
    assert spans[1].text == "This restriction protects families."
    assert spans[1].unresolved == ("This restriction",)


@pytest.mark.fuzz
@given(st.text(max_size=300))
def test_extraction_is_deterministic(text):
    assert extract(text) == extract(text)


def test_a_clause_cut_from_a_run_on_sentence_does_not_repeat_it():
    run_on = "Utah " + "keeps records " * 60 + ", ensuring public scrutiny."
    main, clause = extract(run_on)
    assert clause.quote == "ensuring public scrutiny"
    assert clause.text == "Ensuring public scrutiny."
    assert clause.unresolved == ("the main clause, too long to repeat",)
    # A sentence of ordinary length still repeats its main clause (see the participial test).
    assert len(main.quote) > 500


def test_a_long_answer_is_extracted_whole_with_every_quote_exact():
    # Each of these used to cost time in proportion to the whole text before it; `make bench`
    # times this answer at two sizes (benchmarks/extraction.py).
    answer = (
        "These agreements cover wage records under the U.S. Dept. of Labor rules. "
        + "Idaho " * 30_000
        + "shares data, ensuring review and to publish it and to audit it. " * 1_000
        + "This rule covers Idaho. " * 3_000
    )
    spans = extract(answer)
    assert len(spans) > 6_000
    assert all(answer[s.start : s.end] == s.quote for s in spans)


KINDS = {"fact", "advice", "hedge", "opinion", "prediction", "meta"}


@pytest.mark.fuzz
@given(answer_texts(), st.text(max_size=40))
def test_any_faq_like_answer_gives_well_formed_claims_every_time(text, question):
    spans = extract(text, question=question)
    assert spans == extract(text, question=question)
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == span.quote
        assert span.quote == span.quote.strip() and "\n" not in span.quote
        assert span.kind in KINDS and span.checkworthy == (span.kind == "fact")
        assert 0 <= span.score <= 1 and span.rule
        assert span.text.strip()
        previous_end = span.end


@pytest.mark.fuzz
@given(st.lists(answer_texts(), min_size=2, max_size=3))
def test_links_among_any_answers_join_claims_of_different_answers_every_time(answers):
    items = [
        analyse((group, i), group, span.text, "Kansas")
        for group, text in enumerate(answers)
        for i, span in enumerate(extract(text))
        if span.checkworthy
    ]
    found = detect(items)
    assert found == detect(items)
    for link in found:
        assert link.a[0] != link.b[0]
        assert link.relation in ("contradicts", "same_as") and 0 <= link.score <= 1
