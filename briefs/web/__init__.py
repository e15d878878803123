"""The read-only web view of the knowledge base, served by Datasette (``dealbrief web``)."""
