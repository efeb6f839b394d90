"""Writers of the editions: plain text (:mod:`.text`) and HTML (:mod:`.html`)."""
