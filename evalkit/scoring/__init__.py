"""Scores from validated rows: the scoring methods, the engine, award and target rules."""

from evalkit.scoring.engine import absent_categories, score
from evalkit.scoring.rules import evaluate_rules

__all__ = ["absent_categories", "evaluate_rules", "score"]
