-- History pages in the default order read ids from one covering index (index-only after VACUUM), so a deep
-- offset and the total count do not visit every record's document; the documents of one page are then
-- fetched by primary key.
DROP INDEX integration_history_integration_idx;
CREATE INDEX integration_history_page_idx
    ON integration_history (integration_id, updated_at DESC, id DESC) INCLUDE (created_by);
