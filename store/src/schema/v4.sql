-- Phòng Thi exam store, version 4 (frozen: change the schema with a new file, never this one).
--
-- The exam's content (questions, answer keys, scoring rules) is sealed under a key derived from
-- the proctor identity (`phongthi_crypto::AtRestKey::exam_content`), so a copied database file
-- does not reveal a test. New rows leave `exam_json` empty; rows of older stores are sealed and
-- emptied the first time the store is opened with the identity (the file is then vacuumed so
-- the clear text does not linger in free pages).
ALTER TABLE exams ADD COLUMN exam_sealed BLOB;
