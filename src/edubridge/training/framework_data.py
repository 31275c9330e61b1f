"""The AI competency framework for teachers (UNESCO, 2024), described in EduBridge's own words.

Five dimensions crossed with three progression levels give fifteen competencies. The titles of
dimensions, levels and competencies follow the published framework; every description below is
the project's own summary, not UNESCO's text. Codes are the project's (AICFT-<dimension>.<level>).
"""

from __future__ import annotations

FRAMEWORK_CODE = "unesco-aicft-2024"
FRAMEWORK_TITLE = "AI competency framework for teachers (UNESCO, 2024)"
FRAMEWORK_PUBLISHER = "UNESCO (structure); descriptions by the EduBridge project"
FRAMEWORK_VERSION = "2024"
FRAMEWORK_DESCRIPTION = (
    "What teachers need to know and do to use AI well: five dimensions, each at three levels "
    "of progression (acquire, deepen, create)."
)

LEVELS: tuple[tuple[int, str], ...] = ((1, "Acquire"), (2, "Deepen"), (3, "Create"))

DIMENSIONS: tuple[tuple[int, str], ...] = (
    (1, "Human-centred mindset"),
    (2, "Ethics of AI"),
    (3, "AI foundations and applications"),
    (4, "AI pedagogy"),
    (5, "AI for professional development"),
)

# (dimension, level, title, description in the project's words)
COMPETENCIES: tuple[tuple[int, int, str, str], ...] = (
    (
        1,
        1,
        "Human agency",
        "Knows that people, not tools, decide what happens in a classroom, and keeps that choice "
        "with teachers and learners when AI is used.",
    ),
    (
        1,
        2,
        "Human accountability",
        "Takes responsibility for the outcomes of AI use in teaching and can explain who answers "
        "for each decision a tool supports.",
    ),
    (
        1,
        3,
        "Social responsibility",
        "Helps the school community weigh what AI does to equity, inclusion and public good, and "
        "speaks up when a use does harm.",
    ),
    (
        2,
        1,
        "Ethical principles",
        "Can name the main ethical questions AI raises in education: fairness, privacy, "
        "transparency, and respect for learners.",
    ),
    (
        2,
        2,
        "Safe and responsible use",
        "Protects learners' data, checks AI output for bias and error, and follows the school's "
        "rules on what may be shared with a tool.",
    ),
    (
        2,
        3,
        "Co-creating ethical rules",
        "Works with colleagues, learners and parents to write and revise local rules for the "
        "ethical use of AI.",
    ),
    (
        3,
        1,
        "Basic AI techniques and applications",
        "Understands in plain terms how common AI systems learn from data and where they are "
        "useful or unreliable in school.",
    ),
    (
        3,
        2,
        "Application skills",
        "Chooses and uses AI tools for concrete teaching tasks, judging their fit, limits and cost.",
    ),
    (
        3,
        3,
        "Creating with AI",
        "Adapts or builds simple AI-supported resources and activities that answer local needs.",
    ),
    (
        4,
        1,
        "AI-assisted teaching",
        "Uses AI to prepare lessons, materials and feedback while checking everything it produces.",
    ),
    (
        4,
        2,
        "AI-pedagogy integration",
        "Designs learning activities in which AI supports inquiry, practice and assessment without "
        "replacing the learner's own thinking.",
    ),
    (
        4,
        3,
        "AI-enhanced pedagogical transformation",
        "Rethinks courses and assessment so that AI opens new ways of learning, and evaluates the "
        "result with evidence.",
    ),
    (
        5,
        1,
        "AI enabling lifelong professional learning",
        "Uses AI tools to keep learning as a teacher: finding resources, reflecting, and "
        "practising new methods.",
    ),
    (
        5,
        2,
        "AI to enhance organizational learning",
        "Shares practice with colleagues and uses AI to support teams that learn together.",
    ),
    (
        5,
        3,
        "AI to support professional transformation",
        "Leads and mentors others in adopting AI well, and trains new trainers.",
    ),
)


def competency_code(dimension: int, level: int) -> str:
    return f"AICFT-{dimension}.{level}"
