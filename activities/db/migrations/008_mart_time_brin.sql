-- The mart's two B-tree indexes on clicked_at and registered_at served no query: export and the
-- report filter on coalesce(clicked_at, registered_at), which neither index covers. Keeping
-- them up cost a third of publish's insert at 10x. A BRIN index on the expression export
-- filters by costs almost nothing to maintain and prunes well, because a publish writes the
-- rows of its days together.
DROP INDEX mart.user_journey_clicked_at;
DROP INDEX mart.user_journey_registered_at;
CREATE INDEX user_journey_day ON mart.user_journey USING brin ((coalesce(clicked_at, registered_at) AT TIME ZONE 'UTC'));
