"""review_app: the Streamlit review queue (Simplified Chinese UI)."""
