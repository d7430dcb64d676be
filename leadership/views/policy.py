"""Views of the quality policy (5.2): versions, approval, publication, acknowledgements, shared copies."""
