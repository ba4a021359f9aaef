-- The e-mail a chat_history row belongs to: the `email` column, else the "Email" key of a JSON
-- `input_text` (key compared case-insensitively, the exact spelling "Email" wins); trimmed and
-- lower-cased; NULL when there is none. Invalid JSON is not an error: the row simply has no e-mail.
CREATE FUNCTION chat_history_email_of(p_email text, p_input text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  doc jsonb;
  found text;
BEGIN
  found := lower(regexp_replace(coalesce(p_email, ''), '^\s+|\s+$', '', 'g'));
  IF found <> '' THEN
    RETURN found;
  END IF;
  IF p_input IS NULL OR p_input !~ '^\s*\{' THEN
    RETURN NULL;
  END IF;
  BEGIN
    doc := p_input::jsonb;
  EXCEPTION WHEN others THEN
    RETURN NULL;
  END;
  SELECT e.value #>> '{}' INTO found
  FROM jsonb_each(doc) AS e
  WHERE lower(e.key) = 'email' AND jsonb_typeof(e.value) = 'string'
  ORDER BY e.key = 'Email' DESC, e.key
  LIMIT 1;
  found := lower(regexp_replace(coalesce(found, ''), '^\s+|\s+$', '', 'g'));
  RETURN nullif(found, '');
END
$$;
--> statement-breakpoint
CREATE FUNCTION chat_history_set_email() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.email_normalized := chat_history_email_of(NEW.email, NEW.input_text);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER chat_history_set_email
BEFORE INSERT OR UPDATE OF email, input_text ON chat_history
FOR EACH ROW EXECUTE FUNCTION chat_history_set_email();
--> statement-breakpoint
-- One notification per INSERT statement (not per row), carrying the range of new log ids, so a
-- listener can sync exactly the new rows. Delivered at commit, to LISTENers on any connection.
CREATE FUNCTION chat_history_notify_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  lo bigint;
  hi bigint;
BEGIN
  SELECT min(log_id), max(log_id) INTO lo, hi FROM inserted_rows;
  IF lo IS NOT NULL THEN
    PERFORM pg_notify('chat_history_inserted', json_build_object('from', lo, 'to', hi)::text);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER chat_history_notify_inserted
AFTER INSERT ON chat_history
REFERENCING NEW TABLE AS inserted_rows
FOR EACH STATEMENT EXECUTE FUNCTION chat_history_notify_inserted();
