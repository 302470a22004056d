"""The review app's pages, one script per page (run by ``st.navigation`` from ``review_app/app.py``;
not named ``pages/``, which Streamlit would also treat as an old-style pages folder)."""
