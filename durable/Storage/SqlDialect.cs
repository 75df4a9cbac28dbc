using System.Data.Common;

namespace Pipeline.Durable.Storage;

/// <summary>The few places where SQLite and PostgreSQL differ; everything else is shared SQL.</summary>
public abstract class SqlDialect
{
    /// <summary>Appended to a SELECT that picks a task to lease or a row to change.</summary>
    public abstract string ForUpdateSkipLocked { get; }

    /// <summary>Appended to the SELECT of a run row inside a write transaction.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>The n-ary minimum function (LEAST in PostgreSQL, MIN in SQLite).</summary>
    public abstract string Least { get; }

    /// <summary>Storage options for the tables whose rows are updated in place ({Fill} in the schema).</summary>
    public virtual string TableOptions => "";

    public abstract Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>Begins a transaction that will write (SQLite: BEGIN IMMEDIATE, so writers queue up front).</summary>
    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection conn, CancellationToken ct);

    /// <summary>Runs once per store before the schema is created: serialize concurrent initializers.</summary>
    public abstract Task LockSchemaAsync(DbConnection conn, DbTransaction tx, CancellationToken ct);

    /// <summary>Set where round trips are dear (a server over a socket): write transactions then send BEGIN with their
    /// first statement and COMMIT with their last writes, instead of one round trip each.</summary>
    public virtual string? InlineBeginSql => null;

    /// <summary>The statement that publishes notifications to other processes inside the transaction (delivered on
    /// commit); null where other processes cannot be told (SQLite: they poll).</summary>
    public virtual (string Sql, (string, object?)[] Args)? PublishSql(IReadOnlyCollection<string> keys) => null;

    /// <summary>Unique-violation detection (a second open run with the same workflow id).</summary>
    public abstract bool IsUniqueViolation(DbException e);

    /// <summary>Errors after which the whole transaction may simply be run again (deadlock, busy).</summary>
    public abstract bool IsTransient(DbException e);
}
