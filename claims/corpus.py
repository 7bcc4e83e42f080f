"""Synthetic FAQ documents of the seed's kind, for benchmarks and load tests.

Each document is about one state and one topic, written from templates that vary the agency,
years, bill numbers, negations and list layouts, so that extraction and link detection meet
the same shapes as in real machine-written FAQs: denials next to affirmations, inner numbered
lists that restart at 1, lettered items, "Heading: text" items and advice.
"""

import random

STATES = [
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas",
    "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota",
    "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey",
    "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon",
    "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas",
    "Utah", "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
]  # fmt: skip
TOPICS = [
    ("state benefits data", "benefits"),
    ("driver's license records", "licenses"),
    ("unemployment insurance data", "unemployment"),
    ("Medicaid enrollment data", "medicaid"),
    ("school enrollment records", "schools"),
]
AGENCIES = [
    "the Department of Human Services",
    "the Department of Health",
    "the Department of Public Safety",
    "the Health Care Authority",
    "the Employment Security Commission",
    "the Department of Revenue",
]
FEDERAL = ["ICE", "federal immigration authorities", "U.S. Immigration and Customs Enforcement"]
CONCEPTS = ["policy", "policies", "regulations", "guidelines", "procedures", "protocols"]

QUESTIONS = [
    "What is the current policy in {state} regarding the sharing of {topic} with ICE?",
    "How does {state} handle requests from ICE for access to {topic}?",
    "Are there any legal provisions or restrictions in {state} on sharing {topic} with ICE?",
    "How does the state ensure the privacy and security of {topic} when sharing it?",
    "What kind of {topic} is typically shared with ICE in {state}?",
    "Is there any oversight of the sharing of {topic} with ICE in {state}?",
    "Are there any agreements between {state} and ICE regarding {topic}?",
    "Are there any efforts in {state} to limit the sharing of {topic} with ICE?",
    "What are the potential consequences for individuals whose {topic} is shared with ICE?",
    "How does {state} comply with federal law when sharing {topic}?",
    "What are the benefits and drawbacks of sharing {topic} with ICE in {state}?",
    "Who decides when {topic} can be shared with ICE in {state}?",
]


def _denial(r, s):
    concept = r.choice(CONCEPTS)
    return r.choice([
        f"As of my last update, {s['state']} does not have a specific {concept} regarding the "
        f"sharing of {s['topic']} with ICE.",
        f"There are no established {concept} dictating how state agencies in {s['state']} "
        f"should handle sharing such data with {r.choice(FEDERAL)}.",
        f"{s['state']} does not have formal oversight mechanisms in place to monitor the "
        f"sharing of {s['topic']}.",
    ])  # fmt: skip


def _affirmation(r, s):
    concept = r.choice(CONCEPTS)
    return r.choice([
        f"{s['state']} has established clear {concept} governing the sharing of {s['topic']} "
        f"with ICE, ensuring that any sharing is conducted in a legal manner.",
        f"The state has implemented {concept} for handling requests from ICE, and "
        f"{s['agency']} reviews each request on a case-by-case basis.",
        f"In {s['state']}, there are specific {concept} in place for handling requests from "
        f"ICE for {s['topic']}.",
        f"{s['state']} maintains oversight mechanisms to monitor the sharing of {s['topic']} "
        f"with ICE.",
    ])  # fmt: skip


def _law(r, s):
    verb = r.choice(["allows", "permits", "prohibits", "forbids"])
    return (
        f"In {s['state']}, state law {verb} the sharing of {s['topic']} with federal agencies "
        f"like ICE under certain circumstances, such as a valid court order."
    )


def _bill(r, s):
    return (
        f"One key initiative is the passage of House Bill {s['bill']} in {s['year']}, which "
        f"aimed to prohibit state agencies from disclosing information related to immigration "
        f"status. This measure was seen as a way to protect families."
    )


def _advice(r, s):
    return r.choice([
        "It is recommended to reach out directly to the relevant state agency for the most "
        "up-to-date information.",
        f"It is important for agencies in {s['state']} to follow these guidelines carefully.",
        "Individuals should consult a qualified attorney about their situation.",
    ])  # fmt: skip


def _numbered_list(r, s, items):
    heads = ["Encryption", "Access Control", "Data Minimization", "Regular Audits", "Training"]
    r.shuffle(heads)
    lines = [f"{s['state']} takes several measures:"]
    for number, head in enumerate(heads[:items], start=1):
        lines.append(
            f"{number}. {head}: {s['agency'][0].upper() + s['agency'][1:]} applies "
            f"{head.lower()} to {s['topic']} shared with ICE. This helps reduce the risk of misuse."
        )
    lines.append("By following these steps, the state protects the privacy of individuals.")
    return "\n".join(lines)


def _lettered_list(r, s):
    return "\n".join([
        f"Sharing {s['topic']} with ICE in {s['state']} has benefits and drawbacks.",
        "1. Benefits:",
        "a. Enforcement: Sharing data can help identify individuals who are not eligible.",
        "b. Fraud: Data sharing can help identify potential fraud in state programs.",
        "2. Drawbacks:",
        "a. Fear: Fear of deportation may prevent some individuals from seeking benefits.",
        "b. Privacy: Sharing personal data can raise concerns about privacy violations.",
    ])  # fmt: skip


PARAGRAPHS = [_denial, _affirmation, _law, _bill]


def document(number, seed=0):
    """(slug, title, text) of synthetic document `number`, the same for the same seed."""
    r = random.Random(f"{seed}:{number}")
    state = STATES[number % len(STATES)]
    topic, topic_slug = TOPICS[(number // len(STATES)) % len(TOPICS)]
    subject = {
        "state": state,
        "topic": topic,
        "agency": r.choice(AGENCIES),
        "bill": r.randint(1000, 4999),
        "year": r.choice(range(2015, 2026)),
    }
    answers = []
    for q_number, template in enumerate(QUESTIONS, start=1):
        question = template.format(**subject)
        layout = r.random()
        if layout < 0.2:
            body = _numbered_list(r, subject, r.randint(3, 5))
        elif layout < 0.3:
            body = _lettered_list(r, subject)
        else:
            parts = [r.choice(PARAGRAPHS)(r, subject) for _ in range(r.randint(2, 4))]
            if r.random() < 0.5:
                parts.append(_advice(r, subject))
            body = " ".join(parts)
            if r.random() < 0.3:
                body += "\n" + " ".join(r.choice(PARAGRAPHS)(r, subject) for _ in range(2))
        separator = "\n\n" if r.random() < 0.3 else "\n"
        answers.append(f"{q_number}. {question}{separator}{body}")
    slug = f"{state.lower().replace(' ', '-')}-{topic_slug}-{number}"
    title = f"{topic[0].upper() + topic[1:]} and ICE in {state}"
    return slug, title, "\n".join(answers) + "\n"
