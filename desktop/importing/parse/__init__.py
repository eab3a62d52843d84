"""The notice parser: from a cleaned SourceDocument to a ParsedNotice (see ``notice.parse_document``)."""
