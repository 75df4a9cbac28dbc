namespace Pipeline.Durable.Storage;

/// <summary>The store's tables. Plain types that mean the same in SQLite and PostgreSQL; times in Unix ms.
/// {Fill} marks where a dialect adds table options (see SqlDialect.TableOptions).</summary>
internal static class Schema
{
    public static readonly string[] Statements =
    [
        """
        CREATE TABLE IF NOT EXISTS dw_runs (
          run_id TEXT PRIMARY KEY,
          workflow_id TEXT NOT NULL,
          workflow_type TEXT NOT NULL,
          task_queue TEXT NOT NULL,
          status TEXT NOT NULL,
          input TEXT,
          result TEXT,
          failure TEXT,
          parent_workflow_id TEXT,
          parent_run_id TEXT,
          parent_seq INTEGER,
          parent_close_policy TEXT,
          continued_from TEXT,
          continued_to TEXT,
          memo TEXT,
          wft_timeout_ms BIGINT NOT NULL,
          started_ms BIGINT NOT NULL,
          closed_ms BIGINT,
          last_event_id BIGINT NOT NULL){Fill}
        """,
        // Unique among open runs: the guarantee behind idempotent starts.
        "CREATE UNIQUE INDEX IF NOT EXISTS dw_runs_open ON dw_runs (workflow_id) WHERE status = 'running'",
        "CREATE INDEX IF NOT EXISTS dw_runs_wid ON dw_runs (workflow_id, started_ms)",
        "CREATE INDEX IF NOT EXISTS dw_runs_started ON dw_runs (started_ms)",
        "CREATE INDEX IF NOT EXISTS dw_runs_parent ON dw_runs (parent_run_id) WHERE parent_run_id IS NOT NULL",
        """
        CREATE TABLE IF NOT EXISTS dw_events (
          run_id TEXT NOT NULL,
          event_id BIGINT NOT NULL,
          event_type TEXT NOT NULL,
          time_ms BIGINT NOT NULL,
          attrs TEXT NOT NULL,
          PRIMARY KEY (run_id, event_id))
        """,
        """
        CREATE TABLE IF NOT EXISTS dw_workflow_tasks (
          run_id TEXT PRIMARY KEY,
          task_queue TEXT NOT NULL,
          visible_ms BIGINT NOT NULL,
          lease_owner TEXT,
          lease_until_ms BIGINT,
          attempt INTEGER NOT NULL){Fill}
        """,
        "CREATE INDEX IF NOT EXISTS dw_wft_queue ON dw_workflow_tasks (task_queue, visible_ms)",
        """
        CREATE TABLE IF NOT EXISTS dw_activity_tasks (
          run_id TEXT NOT NULL,
          seq INTEGER NOT NULL,
          workflow_id TEXT NOT NULL,
          workflow_type TEXT NOT NULL,
          activity_type TEXT NOT NULL,
          task_queue TEXT NOT NULL,
          input TEXT NOT NULL,
          spec TEXT NOT NULL,
          attempt INTEGER NOT NULL,
          scheduled_ms BIGINT NOT NULL,
          visible_ms BIGINT NOT NULL,
          lease_owner TEXT,
          started_ms BIGINT,
          heartbeat_ms BIGINT,
          heartbeat_details TEXT,
          s2c_ms BIGINT,
          s2s_ms BIGINT,
          hb_timeout_ms BIGINT,
          attempt_deadline_ms BIGINT,
          close_deadline_ms BIGINT,
          deadline_ms BIGINT,
          cancel_requested INTEGER NOT NULL DEFAULT 0,
          last_failure TEXT,
          PRIMARY KEY (run_id, seq)){Fill}
        """,
        "CREATE INDEX IF NOT EXISTS dw_act_queue ON dw_activity_tasks (task_queue, visible_ms) WHERE lease_owner IS NULL",
        "CREATE INDEX IF NOT EXISTS dw_act_deadline ON dw_activity_tasks (deadline_ms) WHERE deadline_ms IS NOT NULL",
        """
        CREATE TABLE IF NOT EXISTS dw_timers (
          run_id TEXT NOT NULL,
          seq INTEGER NOT NULL,
          fire_ms BIGINT NOT NULL,
          PRIMARY KEY (run_id, seq))
        """,
        "CREATE INDEX IF NOT EXISTS dw_timers_fire ON dw_timers (fire_ms)",
    ];
}
