"""models: scikit-learn estimators and their training; trained models are saved with skops."""
