using Npgsql;
using Pipeline.Durable.Storage;

namespace Pipeline.Workers.Hosting;

/// <summary>Turns a store address into a store. Three forms: <c>sqlite:PATH</c> (relative to the current directory),
/// a PostgreSQL URL <c>postgres://user:pass@host:port/db?key=value</c>, or an Npgsql connection string
/// <c>Host=...;Username=...;...</c>.</summary>
public sealed record StoreUri
{
    public const string ExpectedForms =
        "expected sqlite:PATH, postgres://user:pass@host:port/db, or a PostgreSQL connection string (Host=...;Username=...;Password=...;Database=...)";

    private StoreUri(string? sqlitePath, string? postgresConnectionString) =>
        (SqlitePath, PostgresConnectionString) = (sqlitePath, postgresConnectionString);

    /// <summary>The absolute path of the SQLite file, or null for PostgreSQL.</summary>
    public string? SqlitePath { get; }

    public string? PostgresConnectionString { get; }

    /// <summary>Throws FormatException, saying which forms are accepted, for an address it does not understand.</summary>
    public static StoreUri Parse(string uri)
    {
        uri = uri.Trim();
        if (!uri.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase)) return new StoreUri(null, ToConnectionString(uri));
        var path = uri["sqlite:".Length..];
        if (path.StartsWith("//", StringComparison.Ordinal)) path = path[2..]; // tolerate sqlite:///abs/path
        if (path.Length == 0) throw new FormatException($"'{uri}' names no file: {ExpectedForms}");
        return new StoreUri(Path.GetFullPath(path), null);
    }

    public IWorkflowStore Open() =>
        SqlitePath is { } path ? new SqliteWorkflowStore(path) : new PostgresWorkflowStore(PostgresConnectionString!);

    private static string ToConnectionString(string uri)
    {
        if (Uri.TryCreate(uri, UriKind.Absolute, out var url) && url.Scheme is "postgres" or "postgresql") return FromUrl(url);
        if (!uri.Contains('=')) throw new FormatException($"unrecognised store '{uri}': {ExpectedForms}");
        try
        {
            var b = new NpgsqlConnectionStringBuilder(uri);
            if (string.IsNullOrEmpty(b.Host)) throw new FormatException($"the PostgreSQL connection string has no Host=: {ExpectedForms}");
            return b.ConnectionString;
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"not a valid PostgreSQL connection string ({e.Message}): {ExpectedForms}");
        }
    }

    private static string FromUrl(Uri url)
    {
        var b = new NpgsqlConnectionStringBuilder { Host = url.Host, Port = url.IsDefaultPort || url.Port < 0 ? 5432 : url.Port };
        var user = url.UserInfo.Split(':', 2);
        if (user[0].Length > 0) b.Username = Uri.UnescapeDataString(user[0]);
        if (user.Length > 1) b.Password = Uri.UnescapeDataString(user[1]);
        var db = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/'));
        if (db.Length > 0) b.Database = db;
        foreach (var pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            try { b[Uri.UnescapeDataString(kv[0])] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : ""; }
            catch (ArgumentException e) { throw new FormatException($"unknown parameter '{kv[0]}' in the PostgreSQL URL ({e.Message})"); }
        }
        return b.ConnectionString;
    }
}
