using Pipeline.Activities.Support;

namespace Pipeline.Activities.Registry;

/// <summary>A registry reference as people write it: <c>NAME@ALIAS</c> (e.g. arith-demo-base@pretrained) or
/// <c>NAME/VERSION</c> (e.g. arith-demo/3).</summary>
public sealed record ModelReference(string Name, string? Alias, int? Version)
{
    public static ModelReference Parse(string text)
    {
        var at = text.IndexOf('@');
        if (at > 0 && at < text.Length - 1) return new ModelReference(text[..at], text[(at + 1)..], null);
        var slash = text.LastIndexOf('/');
        if (slash > 0 && int.TryParse(text[(slash + 1)..], out var version) && version > 0) return new ModelReference(text[..slash], null, version);
        throw Failures.InvalidInput($"model reference '{text}': expected NAME@ALIAS (e.g. arith-demo-base@pretrained) or NAME/VERSION (e.g. arith-demo/3)");
    }

    public override string ToString() => Alias is not null ? $"{Name}@{Alias}" : $"{Name}/{Version}";
}
