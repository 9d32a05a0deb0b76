-- Documents that are not part of a request: a signed consent form (B7) is kept
-- as the proof of a sharing consent, apart from the request being written.
ALTER TABLE documents ADD COLUMN purpose TEXT NOT NULL DEFAULT 'request';
