-- The feed no longer tells membership's private reasons (suspension, reinstatement, withdrawal; also as the reason of a
-- program's pause or resumption) nor trainee refs of competition results. Entries written before are scrubbed here;
-- POST /api/v1/feed/rebuild re-tells every entry from its kept message exactly as the feed now does.
UPDATE feed_entries SET content = 'The membership is suspended.' WHERE kind = 'memberSuspended';
UPDATE feed_entries SET content = 'The membership is active again.' WHERE kind = 'memberReinstated';
UPDATE feed_entries SET content = 'The membership has ended.' WHERE kind = 'memberLeft';
UPDATE feed_entries SET content = regexp_replace(content, '^(The program went from \S+ to \S+): .*$', '\1.')
    WHERE kind = 'programStatusChanged' AND content ~ '^The program went from (paused to \S+|\S+ to paused): ';
-- "… ranked. 1st: College (ref), First prize; 2nd: …": in each place, the first parenthesis followed by the award, the
-- next place or the end is the ref (a college's own parenthesis is followed by more of its name). An award with its own
-- parenthesis hides the ref from one pass, so passes repeat until nothing matches: refs go for sure, at the price of a
-- trailing parenthesis of an award or college name. POST /api/v1/feed/rebuild re-tells these entries exactly.
DO $$
BEGIN
    FOR pass IN 1..20 LOOP
        UPDATE feed_entries
            SET content = regexp_replace(content, '(ranked\. |; )([0-9]+?(st|nd|rd|th): [^;]*?) \([^()]*\)(?=(, [^;]*)?(; [0-9]|\.$))', '\1\2', 'g')
            WHERE kind = 'competitionResults' AND content ~ ' \([^()]*\)(, [^;]*)?(; [0-9]|\.$)';
        EXIT WHEN NOT FOUND;
    END LOOP;
END
$$;
