using Serilog.Events;

namespace Pipeline.Infra.Logging;

/// <summary>Where the pipeline's logs go and how much of them. Bound from the <c>Logging</c> section.</summary>
public sealed record LoggingOptions
{
    /// <summary>Least severe level written: Verbose (alias Trace), Debug, Information, Warning, Error, Fatal (alias Critical). Default Information.</summary>
    public string MinimumLevel { get; init; } = "Information";

    /// <summary>Per-source minimum levels, e.g. <c>{"System.Net.Http": "Warning"}</c>. Default none.</summary>
    public IReadOnlyDictionary<string, string> Overrides { get; init; } = new Dictionary<string, string>();

    /// <summary>Human-readable lines on standard error (stdout stays free for command output). Default true.</summary>
    public bool Console { get; init; } = true;

    /// <summary>Rolling CLEF file; the date goes before the extension. Relative paths start at the
    /// working directory, the project's data folder. Empty turns the file off. Default <c>.pipeline/logs/pipeline-.clef</c>.</summary>
    public string? FilePath { get; init; } = ".pipeline/logs/pipeline-.clef";

    /// <summary>Daily files kept before the oldest is deleted. Default 14.</summary>
    public int RetainedFileCount { get; init; } = 14;

    /// <summary>Seq's base address, e.g. <c>http://seq:5341</c>; empty turns the Seq sink off. Default none.</summary>
    public string? SeqUrl { get; init; }

    /// <summary>Seq API key, sent as <c>X-Seq-ApiKey</c>. Default none.</summary>
    public string? SeqApiKey { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming every problem at once.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (!TryParseLevel(MinimumLevel, out _))
            problems.Add($"MinimumLevel '{MinimumLevel}' is not a level ({LevelNames})");
        foreach (var (source, level) in Overrides)
        {
            if (string.IsNullOrWhiteSpace(source)) problems.Add("Overrides has an empty source name");
            if (!TryParseLevel(level, out _)) problems.Add($"Overrides['{source}'] '{level}' is not a level ({LevelNames})");
        }
        if (!string.IsNullOrEmpty(FilePath) && RetainedFileCount < 1)
            problems.Add($"RetainedFileCount must be at least 1 (was {RetainedFileCount})");
        if (!string.IsNullOrEmpty(SeqUrl) && !IsHttpUrl(SeqUrl))
            problems.Add($"SeqUrl '{SeqUrl}' must be an absolute http:// or https:// address, e.g. http://seq:5341");
        if (problems.Count > 0) throw new ArgumentException("Invalid logging options: " + string.Join("; ", problems) + ".");
    }

    private const string LevelNames = "Verbose, Debug, Information, Warning, Error, Fatal";

    internal static bool TryParseLevel(string? name, out LogEventLevel level)
    {
        level = LogEventLevel.Information;
        switch (name?.Trim().ToLowerInvariant())
        {
            case "trace": level = LogEventLevel.Verbose; return true;
            case "critical": level = LogEventLevel.Fatal; return true;
            case null or "": return false;
            default:
                // Enum.TryParse also accepts digits; a level is spelled out here.
                return !char.IsDigit(name.Trim()[0]) && Enum.TryParse(name.Trim(), ignoreCase: true, out level)
                    && Enum.IsDefined(level);
        }
    }

    private static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
