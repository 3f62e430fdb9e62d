-- The feed no longer tells membership's private reasons (suspension, reinstatement, withdrawal; also as the reason of a
-- program's pause or resumption) nor trainee refs of competition results. Entries written before are scrubbed here;
-- POST /api/v1/feed/rebuild re-tells every entry from its kept message exactly as the feed now does.
UPDATE feed_entries SET content = 'The membership is suspended.' WHERE kind = 'memberSuspended';
UPDATE feed_entries SET content = 'The membership is active again.' WHERE kind = 'memberReinstated';
UPDATE feed_entries SET content = 'The membership has ended.' WHERE kind = 'memberLeft';
UPDATE feed_entries SET content = regexp_replace(content, '^(The program went from \S+ to \S+): .*$', '\1.')
    WHERE kind = 'programStatusChanged' AND content ~ '^The program went from (paused to \S+|\S+ to paused): ';
-- "1st: College (ref), First prize; 2nd: …": the ref is the parenthesis right before the award, the next place or the end.
UPDATE feed_entries SET content = regexp_replace(content, ' \([^()]*\)(?=(, [^;]*)?(; [0-9]|\.$))', '', 'g')
    WHERE kind = 'competitionResults';
