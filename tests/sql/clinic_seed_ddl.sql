-- The SafeStories clinic database, written by hand from shared/seeds/001_e45441c0ffe87f83.txt.
--
-- Stand-in for "a database someone else created from the seed's documentation": it is NOT generated
-- from the back-office models, so tests can compare the two. 20 tables, 20 foreign keys.
-- Decisions where the document is silent:
--   * "AUTO INCREMENT" integer primary keys are `serial`.
--   * bookings declares no primary key; booking_id is UNIQUE because five foreign keys point to it.
--   * client_session_notes.somatic_cues ("array") is text[].
--   * audit_logs.timestamp defaults to get_ist_timestamp(), a function the document names but does
--     not define; it is defined here as the current Asia/Kolkata time rendered as text.
--   * notifications.created_at: the document's `CURRENT_TIMESTAMP AT TIME ZONE 'Asia/Kolkata'` needs
--     parentheses in a DEFAULT clause, so it is written `(CURRENT_TIMESTAMP AT TIME ZONE 'Asia/Kolkata')`.

CREATE OR REPLACE FUNCTION public.get_ist_timestamp() RETURNS varchar
LANGUAGE sql STABLE
AS $$
    SELECT to_char(now() AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD HH24:MI:SS')::varchar
$$;

-- 2. therapists (parent of eleven foreign keys, through therapist_id)
CREATE TABLE public.therapists (
    id              serial PRIMARY KEY,
    therapist_id    varchar(255) NOT NULL UNIQUE,
    name            varchar(255) NOT NULL,
    specialization  text,
    contact_info    varchar(255),
    sessions_booked integer DEFAULT 0,
    capacity        integer DEFAULT 0,
    created_at      timestamp DEFAULT CURRENT_TIMESTAMP
);

-- 1. users
CREATE TABLE public.users (
    id           serial PRIMARY KEY,
    username     varchar(255) NOT NULL,
    password     varchar(255) NOT NULL,
    name         varchar(255) NOT NULL,
    role         varchar(50) DEFAULT 'admin',
    created_at   timestamp DEFAULT CURRENT_TIMESTAMP,
    updated_at   timestamp DEFAULT CURRENT_TIMESTAMP,
    therapist_id varchar(50) REFERENCES public.therapists (therapist_id),
    full_name    varchar(255)
);

-- 16. all_clients_table
CREATE TABLE public.all_clients_table (
    client_id          varchar(255) NOT NULL PRIMARY KEY,
    client_name        varchar(255),
    phone_number       varchar(50),
    email_id           varchar(255),
    no_of_sessions     integer DEFAULT 0,
    therapist_id       varchar(255) REFERENCES public.therapists (therapist_id),
    assigned_therapist varchar(255)
);

-- 3. bookings (no primary key)
CREATE TABLE public.bookings (
    invitee_id                   text,
    invitee_name                 text,
    invitee_phone                text,
    invitee_email                text,
    invitee_question             text,
    invitee_token                text,
    invitee_country              text,
    invitee_city                 text,
    invitee_timezone             text,
    invitee_created_at           timestamp,
    invitee_cancelled_at         timestamp,
    invitee_cancelled_reason     text,
    invitee_status               text,
    invitee_payment_reference_id text,
    invitee_payment_gateway      text,
    invitee_payment_name         text,
    invitee_payment_currency     text,
    invitee_payment_amount       numeric,
    booking_user_id              text,
    booking_updated_at           timestamp,
    booking_subject              text,
    booking_status               text,
    booking_resource_id          text,
    booking_resource_type        text,
    booking_resource_name        text,
    booking_checkin_url          text,
    booking_mode                 text,
    booking_joining_link         text,
    booking_invitee_time         text,
    booking_host_user_id         text,
    booking_host_name            text,
    booking_host_phone           text,
    booking_host_email           text,
    booking_start_at             timestamp,
    booking_end_at               timestamp,
    booking_duration             integer,
    booking_cancelled_by         text,
    booking_cancel_reason        text,
    booking_id                   text UNIQUE,
    booking_account_id           text,
    refund_amount                numeric,
    refund_status                varchar(255),
    refund_failed_time           timestamp,
    rescheduled_at               timestamp,
    rescheduled_start_at         timestamp,
    rescheduled_end_at           timestamp,
    recheduled_from              timestamp,
    emergency_contact_name       varchar(255),
    emergency_contact_relation   varchar(100),
    emergency_contact_number     varchar(20),
    therapist_id                 varchar(255) REFERENCES public.therapists (therapist_id),
    refund_id                    varchar(255)
);

-- 17. appointment_table
CREATE TABLE public.appointment_table (
    session_id      varchar(255) NOT NULL PRIMARY KEY,
    session_timings timestamp,
    session_name    varchar(255),
    session_mode    varchar(50),
    client_id       varchar(255) REFERENCES public.all_clients_table (client_id),
    client_name     varchar(255),
    contact_info    text,
    therapist_id    varchar(255) REFERENCES public.therapists (therapist_id),
    therapist_name  varchar(255)
);

-- 4. booking_cancelled
CREATE TABLE public.booking_cancelled (
    id             serial PRIMARY KEY,
    booking_id     text REFERENCES public.bookings (booking_id),
    invitee_id     text,
    invitee_name   text,
    invitee_number text,
    invitee_email  text,
    cancelled_at   timestamp,
    cancelled_by   text,
    cancel_reason  text,
    created_at     timestamp DEFAULT CURRENT_TIMESTAMP
);

-- 5. booking_requests (no foreign key, intentionally)
CREATE TABLE public.booking_requests (
    request_id           serial PRIMARY KEY,
    client_name          varchar(255) NOT NULL,
    client_whatsapp      varchar(20) NOT NULL,
    client_email         varchar(255),
    therapy_type         varchar(255) NOT NULL,
    therapist_name       varchar(255) NOT NULL,
    booking_link         text,
    status               varchar(50) DEFAULT 'sent',
    created_at           timestamp DEFAULT CURRENT_TIMESTAMP,
    is_free_consultation boolean DEFAULT false
);

-- 6. client_session_notes (no foreign key: holds orphans)
CREATE TABLE public.client_session_notes (
    note_id               serial PRIMARY KEY,
    booking_id            text,
    client_name           text,
    session_timing        text,
    host_name             text,
    session_status        text,
    client_age            integer,
    gender                text,
    occupation            text,
    marital_status        text,
    concerns_discussed    text,
    somatic_cues          text[],
    interventions_used    text,
    interventions_helpful text,
    client_participation  text,
    goal_progress         text,
    client_values         text,
    self_harm_mention     text,
    self_harm_details     text,
    current_risk_level    text,
    protective_factors    text,
    health_history        text,
    past_diagnoses        text,
    next_session_plan     text,
    homework_suggested    text,
    created_at            timestamp DEFAULT CURRENT_TIMESTAMP,
    updated_at            timestamp DEFAULT CURRENT_TIMESTAMP
);

-- 7. client_additional_notes
CREATE TABLE public.client_additional_notes (
    note_id        serial PRIMARY KEY,
    booking_id     text NOT NULL REFERENCES public.bookings (booking_id),
    therapist_id   varchar(255) REFERENCES public.therapists (therapist_id),
    therapist_name varchar(255),
    note_text      text NOT NULL,
    created_at     timestamp DEFAULT CURRENT_TIMESTAMP,
    updated_at     timestamp DEFAULT CURRENT_TIMESTAMP
);

-- 8. client_doc_form
CREATE TABLE public.client_doc_form (
    link_id        serial PRIMARY KEY,
    booking_id     varchar(50) REFERENCES public.bookings (booking_id),
    paperform_link text,
    status         varchar(20)
);

-- 9. client_transfer_history
CREATE TABLE public.client_transfer_history (
    transfer_id               serial PRIMARY KEY,
    client_name               varchar(255) NOT NULL,
    client_email              varchar(255),
    client_phone              varchar(50),
    from_therapist_id         varchar(50) REFERENCES public.therapists (therapist_id),
    from_therapist_name       varchar(255),
    to_therapist_id           varchar(50) NOT NULL REFERENCES public.therapists (therapist_id),
    to_therapist_name         varchar(255) NOT NULL,
    transferred_by_admin_id   integer,
    transferred_by_admin_name varchar(255),
    transfer_date             timestamp DEFAULT CURRENT_TIMESTAMP,
    reason                    text,
    notes                     text
);

-- 10. payments
CREATE TABLE public.payments (
    payment_id             serial PRIMARY KEY,
    booking_id             text REFERENCES public.bookings (booking_id),
    invitee_name           text,
    invitee_email          text,
    payment_reference_id   text,
    amount                 numeric,
    currency               varchar(10),
    payment_date           timestamp,
    payment_gateway_name   text,
    refund_amount          numeric,
    refund_initiation_date timestamp,
    refund_status          varchar(50),
    refund_failed_date     timestamp,
    created_at             timestamp DEFAULT CURRENT_TIMESTAMP,
    updated_at             timestamp DEFAULT CURRENT_TIMESTAMP,
    refund_id              varchar(255)
);

-- 11. refund_cancellation_table (session_id references both bookings and appointment_table)
CREATE TABLE public.refund_cancellation_table (
    id              serial PRIMARY KEY,
    client_id       varchar(255) REFERENCES public.all_clients_table (client_id),
    client_name     varchar(255),
    session_id      varchar(255)
                    REFERENCES public.bookings (booking_id)
                    REFERENCES public.appointment_table (session_id),
    session_name    varchar(255),
    session_timings timestamp,
    payment_id      varchar(255),
    refund_status   varchar(50),
    refund_id       varchar(255)
);

-- 12. therapist_dashboard_stats
CREATE TABLE public.therapist_dashboard_stats (
    id                 serial PRIMARY KEY,
    therapist_id       varchar(50) NOT NULL UNIQUE REFERENCES public.therapists (therapist_id),
    total_sessions     integer DEFAULT 0,
    confirmed_sessions integer DEFAULT 0,
    cancelled_sessions integer DEFAULT 0,
    no_shows           integer DEFAULT 0,
    upcoming_bookings  integer DEFAULT 0,
    last_updated       timestamp DEFAULT now()
);

-- 13. therapist_clients_summary
CREATE TABLE public.therapist_clients_summary (
    id                serial PRIMARY KEY,
    therapist_id      varchar(50) NOT NULL REFERENCES public.therapists (therapist_id),
    client_name       varchar(255),
    client_email      varchar(255),
    client_phone      varchar(50),
    total_sessions    integer DEFAULT 0,
    last_session_date timestamp,
    created_at        timestamp DEFAULT now()
);

-- 14. therapist_appointments_cache
CREATE TABLE public.therapist_appointments_cache (
    id              serial PRIMARY KEY,
    therapist_id    varchar(50) NOT NULL REFERENCES public.therapists (therapist_id),
    session_timings varchar(500),
    session_name    varchar(500),
    client_name     varchar(255),
    contact_info    varchar(100),
    mode            varchar(100),
    booking_date    timestamp,
    booking_status  varchar(50),
    created_at      timestamp DEFAULT now()
);

-- 15. therapist_resources (no foreign key: holds orphans)
CREATE TABLE public.therapist_resources (
    id             serial PRIMARY KEY,
    resource_id    integer NOT NULL,
    resource_name  varchar(255) NOT NULL,
    therapist_id   varchar(255) NOT NULL,
    therapist_name varchar(255),
    created_at     timestamp DEFAULT CURRENT_TIMESTAMP,
    therapy_name   varchar(255)
);

-- 18. audit_logs ("timestamp" is a varchar)
CREATE TABLE public.audit_logs (
    log_id             serial PRIMARY KEY,
    therapist_id       varchar(50) REFERENCES public.therapists (therapist_id),
    therapist_name     varchar(255),
    action_type        varchar(100) NOT NULL,
    action_description text NOT NULL,
    client_name        varchar(255),
    ip_address         varchar(50),
    is_visible         boolean DEFAULT true,
    "timestamp"        varchar(255) DEFAULT get_ist_timestamp()
);

-- 19. notifications
CREATE TABLE public.notifications (
    notification_id   serial PRIMARY KEY,
    user_id           integer REFERENCES public.users (id),
    user_role         varchar(20) NOT NULL,
    notification_type varchar(100) NOT NULL,
    title             varchar(255) NOT NULL,
    message           text NOT NULL,
    related_id        varchar(50),
    is_read           boolean DEFAULT false,
    created_at        timestamp DEFAULT (CURRENT_TIMESTAMP AT TIME ZONE 'Asia/Kolkata')
);

-- 20. aisensy_campaign_api (no primary key, no foreign key)
CREATE TABLE public.aisensy_campaign_api (
    campaign_name  varchar(255),
    therapy        varchar(255),
    therapist_name varchar(255)
);
