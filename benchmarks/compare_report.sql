-- The report's figures in SQL, for benchmarks/compare: the same text runs
-- in DuckDB and SQLite. METRICS.md's counts and ratios per (directorate,
-- service), period (0 = P .. 4) and month of P; benchmarks/compare adds
-- them up into totals, directorates, months and the five-year series and
-- checks every figure against tellus's report.
--
-- Tables (prepared by the peers as tellus keeps its columns: dates as day
-- numbers since 1970-01-01, (directorate, service) as a cell code):
--   cells(cell, dir, svc): dir and svc '' for no directorate
--   cases(ref, type, cell, rcv, ack1, ext1, s1, out1, esc, ack2, ext2, s2,
--         out2, wdn, body, referred, decision, decided, lesson, remedy)
--   interactions(cell, d, kind, case_ref)
--   cal(day, working, cnt, pidx, midx): every day; cnt counts working days
--     up to it; pidx its period (-1 outside the five); midx its month of P
--     (-1 outside P)
--   wn(cnt, day): the working day whose count is cnt
-- Parameters, replaced before running: :asof (the as-of London date's day
-- number; as-of is a date, so an event is seen when its date is on or
-- before it), :ack1 :resp1 :ext1 :ack2 :resp2 :ext2 (the policy's days).
--
-- Statement 1: case figures.
WITH cs AS (
  SELECT ref, type, cell, rcv,
         CASE WHEN rcv <= :asof THEN rcv END AS rcv_s,
         ack1, CASE WHEN ack1 <= :asof THEN ack1 END AS ack1_s, ext1,
         CASE WHEN s1 <= :asof THEN s1 END AS s1_s, out1,
         esc, CASE WHEN esc <= :asof THEN esc END AS esc_s, ack2, ext2,
         CASE WHEN s2 <= :asof THEN s2 END AS s2_s, out2,
         CASE WHEN wdn <= :asof THEN wdn END AS wdn_s,
         body, CASE WHEN referred <= :asof THEN referred END AS referred_s,
         decision, CASE WHEN decided <= :asof THEN decided END AS decided_s,
         CASE WHEN lesson <= :asof THEN 1 ELSE 0 END AS lesson_s, remedy
  FROM cases
),
-- Cases received by the as-of date, with their due dates: n working days
-- after D is the working day whose count is D's count plus n.
c AS (
  SELECT cs.*,
         a1.day AS ack_due1, d1.day AS due1, x1.day AS cap1,
         d2.day AS due2, x2.day AS cap2,
         CASE WHEN esc_s IS NOT NULL THEN s2_s ELSE s1_s END AS fin,
         CASE WHEN esc_s IS NOT NULL THEN out2 ELSE out1 END AS fin_out
  FROM cs
  LEFT JOIN cal k0 ON k0.day = cs.rcv
  LEFT JOIN wn a1 ON a1.cnt = k0.cnt + :ack1
  LEFT JOIN cal k1 ON k1.day = CASE WHEN cs.ack1 IS NOT NULL AND cs.ack1 < a1.day
                                    THEN cs.ack1 ELSE a1.day END
  LEFT JOIN wn d1 ON d1.cnt = k1.cnt + :resp1
  LEFT JOIN cal k2 ON k2.day = d1.day
  LEFT JOIN wn x1 ON x1.cnt = k2.cnt + :ext1
  LEFT JOIN cal k3 ON k3.day = cs.esc
  LEFT JOIN wn a2 ON a2.cnt = k3.cnt + :ack2
  LEFT JOIN cal k4 ON k4.day = CASE WHEN cs.ack2 IS NOT NULL AND cs.ack2 < a2.day
                                    THEN cs.ack2 ELSE a2.day END
  LEFT JOIN wn d2 ON d2.cnt = k4.cnt + :resp2
  LEFT JOIN cal k5 ON k5.day = d2.day
  LEFT JOIN wn x2 ON x2.cnt = k5.cnt + :ext2
  WHERE cs.rcv_s IS NOT NULL
),
-- One row per counted event, on the day it is counted.
ev AS (
  SELECT cell, rcv AS d,
         CASE WHEN type = 'enquiry' THEN 1 ELSE 0 END AS enquiries,
         CASE WHEN type = 'compliment' THEN 1 ELSE 0 END AS compliments,
         CASE WHEN type = 'complaint' THEN 1 ELSE 0 END AS complaints_received,
         CASE WHEN type = 'complaint' AND esc_s IS NOT NULL THEN 1 ELSE 0 END
           AS cohort_escalated,
         CASE WHEN type = 'complaint' AND lesson_s = 1 THEN 1 ELSE 0 END
           AS cohort_with_lessons,
         CASE WHEN type = 'complaint' AND ack_due1 <= :asof
                   AND NOT (wdn_s IS NOT NULL AND wdn_s <= ack_due1
                            AND ack1_s IS NULL) THEN 1 ELSE 0 END
           AS stage1_ack_due,
         CASE WHEN type = 'complaint' AND ack_due1 <= :asof
                   AND NOT (wdn_s IS NOT NULL AND wdn_s <= ack_due1
                            AND ack1_s IS NULL)
                   AND ack1_s IS NOT NULL AND ack1_s <= ack_due1 THEN 1 ELSE 0 END
           AS stage1_ack_on_time,
         0 AS stage2_received, 0 AS ombudsman_enquiries,
         0 AS ombudsman_enquiries_lgsco, 0 AS ombudsman_enquiries_hos,
         0 AS stage1_responses, 0 AS stage1_on_time,
         0 AS stage2_responses, 0 AS stage2_on_time,
         0 AS resolved, 0 AS resolved_upheld, 0 AS remedy_pence, '' AS decision
  FROM c
  UNION ALL
  SELECT cell, esc_s, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
         ''
  FROM c WHERE type = 'complaint' AND esc_s IS NOT NULL
  UNION ALL
  SELECT cell, referred_s, 0, 0, 0, 0, 0, 0, 0, 0, 1,
         CASE WHEN body = 'hos' THEN 0 ELSE 1 END,
         CASE WHEN body = 'hos' THEN 1 ELSE 0 END,
         0, 0, 0, 0, 0, 0, 0, ''
  FROM c WHERE type = 'complaint' AND referred_s IS NOT NULL
  UNION ALL
  SELECT cell, decided_s, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
         0, 0, body || '_' || decision
  FROM c WHERE type = 'complaint' AND decided_s IS NOT NULL
  UNION ALL
  SELECT cell, s1_s, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
         CASE WHEN s1_s <= due1 OR (ext1 IS NOT NULL AND s1_s <= ext1
                                    AND s1_s <= cap1) THEN 1 ELSE 0 END,
         0, 0, 0, 0, 0, ''
  FROM c WHERE type = 'complaint' AND s1_s IS NOT NULL
  UNION ALL
  SELECT cell, s2_s, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
         CASE WHEN s2_s <= due2 OR (ext2 IS NOT NULL AND s2_s <= ext2
                                    AND s2_s <= cap2) THEN 1 ELSE 0 END,
         0, 0, 0, ''
  FROM c WHERE type = 'complaint' AND s2_s IS NOT NULL
  UNION ALL
  SELECT cell, fin, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
         CASE WHEN fin_out IN ('upheld', 'partly_upheld') THEN 1 ELSE 0 END,
         remedy, ''
  FROM c WHERE type = 'complaint' AND fin IS NOT NULL AND wdn_s IS NULL
)
SELECT cell, cal.pidx AS pidx, cal.midx AS midx, decision,
       sum(enquiries) AS enquiries, sum(compliments) AS compliments,
       sum(complaints_received) AS complaints_received,
       sum(cohort_escalated) AS cohort_escalated,
       sum(cohort_with_lessons) AS cohort_with_lessons,
       sum(stage1_ack_due) AS stage1_ack_due,
       sum(stage1_ack_on_time) AS stage1_ack_on_time,
       sum(stage2_received) AS stage2_received,
       sum(ombudsman_enquiries) AS ombudsman_enquiries,
       sum(ombudsman_enquiries_lgsco) AS ombudsman_enquiries_lgsco,
       sum(ombudsman_enquiries_hos) AS ombudsman_enquiries_hos,
       sum(stage1_responses) AS stage1_responses,
       sum(stage1_on_time) AS stage1_on_time,
       sum(stage2_responses) AS stage2_responses,
       sum(stage2_on_time) AS stage2_on_time,
       sum(resolved) AS resolved, sum(resolved_upheld) AS resolved_upheld,
       sum(remedy_pence) AS remedy_pence, count(*) AS decisions
FROM ev JOIN cal ON cal.day = ev.d
WHERE cal.pidx >= 0
GROUP BY cell, cal.pidx, cal.midx, decision;
-- Statement 2: interactions by cell, period and month.
SELECT cell, cal.pidx AS pidx, cal.midx AS midx, count(*) AS interactions
FROM interactions i JOIN cal ON cal.day = i.d
WHERE cal.pidx >= 0
GROUP BY cell, cal.pidx, cal.midx;
-- Statement 3: follow-ups linked to a case; for complaints, chasing (a
-- stage awaiting its response, not after a withdrawal) or after a response
-- (0 to 28 days after the latest one on or before the contact).
SELECT i.cell AS cell, cal.pidx AS pidx, cal.midx AS midx,
       count(*) AS follow_up_contacts,
       sum(CASE WHEN cs.type = 'complaint' THEN 1 ELSE 0 END)
         AS follow_ups_on_complaints,
       sum(CASE WHEN cs.type = 'complaint'
                 AND (cs.wdn_s IS NULL OR i.d <= cs.wdn_s)
                 AND ((cs.rcv_s <= i.d AND (cs.s1_s IS NULL OR i.d < cs.s1_s))
                      OR (cs.esc_s <= i.d AND (cs.s2_s IS NULL OR i.d < cs.s2_s)))
                THEN 1 ELSE 0 END) AS follow_up_chasing,
       sum(CASE WHEN cs.type <> 'complaint' THEN 0
                WHEN (cs.wdn_s IS NULL OR i.d <= cs.wdn_s)
                 AND ((cs.rcv_s <= i.d AND (cs.s1_s IS NULL OR i.d < cs.s1_s))
                      OR (cs.esc_s <= i.d AND (cs.s2_s IS NULL OR i.d < cs.s2_s)))
                THEN 0
                WHEN cs.s2_s <= i.d THEN CASE WHEN i.d - cs.s2_s <= 28 THEN 1 ELSE 0 END
                WHEN cs.s1_s <= i.d THEN CASE WHEN i.d - cs.s1_s <= 28 THEN 1 ELSE 0 END
                ELSE 0 END) AS follow_up_after_response
FROM interactions i
JOIN (SELECT ref, type,
             CASE WHEN rcv <= :asof THEN rcv END AS rcv_s,
             CASE WHEN s1 <= :asof THEN s1 END AS s1_s,
             CASE WHEN esc <= :asof THEN esc END AS esc_s,
             CASE WHEN s2 <= :asof THEN s2 END AS s2_s,
             CASE WHEN wdn <= :asof THEN wdn END AS wdn_s
      FROM cases) cs ON cs.ref = i.case_ref
JOIN cal ON cal.day = i.d
WHERE i.kind = 'follow_up' AND cal.pidx >= 0
GROUP BY i.cell, cal.pidx, cal.midx;
-- Statement 4: the cells' names.
SELECT cell, dir, svc FROM cells;
