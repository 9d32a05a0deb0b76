-- The satisfaction dashboard's counts (C2, C3), kept as each response is
-- recorded: the dashboard reads a few hundred cells however many responses
-- there are, instead of joining every response to its answers on each view.
-- A cell is the dashboard's finest group: survey, month, channel, kind of
-- service, team, who served and the way of answering. A column the response
-- leaves empty is '' (or staff 0) here, so that each cell is one row a unique
-- key can find; the storage layer gives them back as empty.
CREATE TABLE survey_cell_responses (
    survey_id     BIGINT  NOT NULL REFERENCES surveys (id),
    month         TEXT    NOT NULL,
    channel       TEXT    NOT NULL,
    service_kind  TEXT    NOT NULL,
    team          TEXT    NOT NULL,
    staff_id      BIGINT  NOT NULL,
    by_message    BIGINT  NOT NULL,
    responses     BIGINT  NOT NULL,
    PRIMARY KEY (survey_id, month, channel, service_kind, team, staff_id, by_message)
);

-- How many times each score was given in a cell, by kind of question
-- (satisfaction 1–5, likelihood to recommend 0–10).
CREATE TABLE survey_cell_scores (
    survey_id     BIGINT  NOT NULL REFERENCES surveys (id),
    month         TEXT    NOT NULL,
    channel       TEXT    NOT NULL,
    service_kind  TEXT    NOT NULL,
    team          TEXT    NOT NULL,
    staff_id      BIGINT  NOT NULL,
    by_message    BIGINT  NOT NULL,
    kind          TEXT    NOT NULL,
    score         BIGINT  NOT NULL,
    times         BIGINT  NOT NULL,
    PRIMARY KEY (survey_id, month, channel, service_kind, team, staff_id, by_message, kind, score)
);

-- The responses recorded before the counts were kept.
INSERT INTO survey_cell_responses
    (survey_id, month, channel, service_kind, team, staff_id, by_message, responses)
SELECT survey_id, month, COALESCE(channel, ''), COALESCE(service_kind, ''), COALESCE(team, ''),
       COALESCE(staff_id, 0), by_message, COUNT(*)
FROM survey_responses
GROUP BY survey_id, month, COALESCE(channel, ''), COALESCE(service_kind, ''), COALESCE(team, ''),
         COALESCE(staff_id, 0), by_message;

INSERT INTO survey_cell_scores
    (survey_id, month, channel, service_kind, team, staff_id, by_message, kind, score, times)
SELECT r.survey_id, r.month, COALESCE(r.channel, ''), COALESCE(r.service_kind, ''), COALESCE(r.team, ''),
       COALESCE(r.staff_id, 0), r.by_message, a.kind, a.score, COUNT(*)
FROM survey_responses r JOIN survey_answers a ON a.response_id = r.id
WHERE a.score IS NOT NULL
GROUP BY r.survey_id, r.month, COALESCE(r.channel, ''), COALESCE(r.service_kind, ''), COALESCE(r.team, ''),
         COALESCE(r.staff_id, 0), r.by_message, a.kind, a.score;

-- The dashboard's comments: the short-text answers found by their kind, not
-- by reading every answer.
CREATE INDEX survey_answers_by_kind ON survey_answers (kind, response_id);
