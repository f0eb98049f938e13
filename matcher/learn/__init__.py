"""Learning and evaluation: rankers fitted on real decisions, held-out metrics, model cards."""
