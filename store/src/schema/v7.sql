-- Phòng Thi exam store, version 7 (frozen: change the schema with a new file, never this one).
--
-- Practice tests. `proctor exam add` accepts an exam only when every item carries an approval
-- signed by a reviewer the school trusts who is not the item's author; `--practice` lets an
-- exam in without that (audited), and the exam row says so, so the lab sheet can print it for
-- everyone in the room to see. Existing exams were all added under the old rule, which had no
-- review policy: they keep 0, as nothing was relaxed for them.
ALTER TABLE exams ADD COLUMN practice INTEGER NOT NULL DEFAULT 0 CHECK (practice IN (0, 1));
