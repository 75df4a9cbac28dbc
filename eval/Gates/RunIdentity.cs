using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Pipeline.Eval.Results;

namespace Pipeline.Eval.Gates;

/// <summary>Which eval run a decision judged: the report file (and its sha256, so an edited report is noticed), the
/// weights (model, adapter, their sha256) and the dataset version it was evaluated on.</summary>
public sealed record RunIdentity
{
    /// <summary>The <c>eval.json</c> the report was loaded from; null for a report built in memory.</summary>
    public string? ReportPath { get; init; }

    public string? ReportSha256 { get; init; }

    public required string Model { get; init; }

    public string? Adapter { get; init; }

    public string? ModelSha256 { get; init; }

    public DatasetRef? Dataset { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public static RunIdentity Of(EvalReport report)
    {
        var path = report.Directory is { } dir ? Path.Combine(dir, EvalReport.FileName) : null;
        return new RunIdentity
        {
            ReportPath = path,
            ReportSha256 = path is not null && File.Exists(path) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))) : null,
            Model = report.Model,
            Adapter = report.Adapter,
            ModelSha256 = report.ModelSha256,
            Dataset = report.Dataset,
            CreatedAt = report.CreatedAt,
        };
    }

    /// <summary>"model + adapter", the way tables name a run.</summary>
    [JsonIgnore]
    public string Label => Adapter is null ? Model : $"{Model} + {Adapter}";
}
