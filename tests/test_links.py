"""One test per link rule, on sentences written for the test (not taken from the seed)."""

from claims.extraction.links import _pairs, analyse, detect, keys


def items(*texts, place="Kansas"):
    return [analyse(i, i, text, place) for i, text in enumerate(texts)]


def links(*texts, place="Kansas"):
    return [
        (k.a, k.b, k.relation, k.rule.split(":")[0]) for k in detect(items(*texts, place=place))
    ]


def test_a_denial_contradicts_an_affirmation_of_the_same_kind_of_thing():
    found = detect(
        items(
            "Kansas does not have a written policy on data requests.",
            "Kansas has adopted a policy governing data requests.",
        )
    )
    assert [(k.relation, k.rule) for k in found] == [("contradicts", "negation:policy")]
    assert 0.5 <= found[0].score <= 1


def test_synonyms_in_a_concept_group_count():
    assert links(
        "There are no procedures for handling these requests.",
        "The agency follows a strict process for every request.",
    ) == [(0, 1, "contradicts", "negation")]


def test_two_denials_do_not_contradict():
    assert links("Kansas has no policy on requests.", "Kansas lacks any formal policy.") == []


def test_a_negation_inside_a_relative_clause_does_not_make_a_denial():
    denial = analyse(0, 0, "Kansas has a policy for people who are not citizens.", "Kansas")
    assert not denial.negated and denial.affirmed == {"policy": {"policy"}}
    found = links(
        "Kansas has a policy for people who are not citizens.",
        "Kansas has a policy on data requests.",
    )
    assert not [link for link in found if link[2] == "contradicts"]


def test_a_general_rule_does_not_contradict_a_missing_specific_one():
    assert (
        links(
            "Kansas does not have a specific policy on ICE requests.",
            "There are general regulations in place for all agencies.",
        )
        == []
    )


def test_a_denial_that_names_the_qualifier_itself_still_contradicts():
    # "general" leaves room for a general rule only when the denial does not deny that too.
    assert links(
        "Kansas does not have a general policy on ICE requests.",
        "Kansas has general policies in place for all agencies.",
    ) == [(0, 1, "contradicts", "negation")]
    # A narrower kind ("security protocols") under a denial of formal ones is compatible,
    # and stays so in either order.
    formal = "Kansas has no formal protocols for sharing data."
    security = "The agency has data security protocols in place."
    assert links(formal, security) == []
    assert links(security, formal) == []


def test_claims_about_different_places_never_link():
    a = analyse(0, 0, "Kansas does not have a policy on requests.", "Kansas")
    b = analyse(1, 1, "Nebraska has a policy on requests.", "Nebraska")
    assert detect([a, b]) == []


def test_claims_in_the_same_answer_are_not_linked():
    a = analyse(0, "answer 1", "Kansas does not have a policy on requests.", "Kansas")
    b = analyse(1, "answer 1", "Kansas has a policy on requests.", "Kansas")
    assert detect([a, b]) == []


def test_antonyms_on_the_same_topic_contradict():
    found = detect(
        items(
            "State law permits disclosure of benefit records to ICE.",
            "A 2019 statute forbids disclosing benefit records.",
        )
    )
    assert [(k.relation, k.rule) for k in found] == [("contradicts", "antonym:permits/forbids")]


def test_a_negated_antonym_agrees():
    assert (
        links(
            "State law does not allow disclosure of records.",
            "The statute prohibits disclosing records.",
        )
        == []
    )


def test_the_same_bill_with_a_different_year_contradicts():
    found = detect(
        items("The legislature passed House Bill 1804 in 2007.", "HB 1804 became law in 2009.")
    )
    assert [(k.relation, k.rule) for k in found] == [("contradicts", "number:year of HB 1804")]


def test_a_different_count_of_the_same_thing_contradicts():
    assert (
        links(
            "The agency received 40 requests from ICE last year.",
            "The agency received 75 requests from ICE last year.",
        )[0][3]
        == "number"
    )


def test_near_identical_affirmations_are_the_same():
    assert links(
        "Kansas has established clear policies governing data sharing.",
        "Kansas has established clear policies and rules governing data sharing.",
    ) == [(0, 1, "same_as", "same")]


def test_an_affirming_claim_links_to_its_closest_denial_in_another_answer():
    a = analyse(
        "denies policy", "answer 1", "Kansas does not have a policy on ICE requests.", "Kansas"
    )
    b = analyse(
        "denies rules", "answer 1", "There are no established rules or procedures.", "Kansas"
    )
    c = analyse("affirms", "answer 2", "Kansas has established a policy on ICE requests.", "Kansas")
    assert [(k.a, k.b) for k in detect([a, b, c])] == [("denies policy", "affirms")]


def test_blocking_keys_carry_concept_and_place():
    (item,) = items("Kansas has adopted a policy on data sharing.")
    assert keys(item) == {"policy|Kansas"}
    # The topic only blocks claims that use an antonym verb, for the antonym rule.
    (law,) = items("State law allows data sharing with ICE.")
    assert keys(law) == {"topic:sharing|Kansas"}


def test_a_bill_number_or_a_year_is_not_a_count():
    (item,) = items("House Bill 2218 in 2021 passed 40 amendments.")
    assert item.counts == {"amendments": ("40", "")}


class Label:
    """An answer's label that counts how often it is compared with another's."""

    def __init__(self, name, tally):
        self.name, self.tally = name, tally

    def __eq__(self, other):
        self.tally[0] += 1
        return self.name == other.name

    def __hash__(self):
        return hash(self.name)


def test_one_answer_with_thousands_of_claims_on_one_key_is_never_paired_and_walked_once():
    tally = [0]
    denial = "Kansas does not have a policy on requests."
    one_answer = [analyse(i, Label("answer 1", tally), denial, "Kansas") for i in range(2_000)]
    other = analyse(2_000, Label("answer 2", tally), "Kansas has a policy on requests.", "Kansas")
    found = detect([*one_answer, other])
    assert found and all(other.id in (link.a, link.b) for link in found)
    # Walking every pair within the answer compared about two million labels here (200
    # million for 20,000 claims, half a minute); one walk over each block compares a few per
    # claim. `make bench` times this input at two sizes.
    assert tally[0] < 10 * len(one_answer)


def test_with_a_focus_only_the_pairs_touching_it_are_walked_and_in_the_same_order():
    # A block as an import sees it: claims of three answers, interleaved, one of them new.
    block = [
        analyse(i, f"answer {i % 3}", "Kansas has a policy on requests.", "Kansas")
        for i in range(12)
    ]
    focus = {item.id for item in block if item.group == "answer 1"}
    every = [(a.id, b.id) for a, b in _pairs(block)]
    touching = [(a.id, b.id) for a, b in _pairs(block, focus)]
    assert touching == [pair for pair in every if focus & set(pair)]
    assert len(touching) == 32  # 4 focused claims, each with the 8 of the other answers
