"""The single-document checks, one module per topic; importing registers them."""

from . import procedure  # noqa: F401  no_collective_decision, no_public_tender, over_authority
from . import rent  # noqa: F401  below_market_rent
from . import term  # noqa: F401  over_term, expiry_warning
from . import clauses  # noqa: F401  missing_clauses, harmful_terms
from . import money  # noqa: F401  stalled_performance, off_book_income
from . import guarantee  # noqa: F401  unlawful_guarantee
from . import informal  # noqa: F401  informal_agreement
