namespace Pipeline.Eval.Domain;

/// <summary>The manifest's "stats": named counts, kept in ordinal key order so the manifest's bytes are stable.</summary>
internal sealed class DemoStats
{
    private readonly SortedDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public void Set(string name, long value) => _counts[name] = value;

    public void Add(string name, long delta = 1) => _counts[name] = _counts.GetValueOrDefault(name) + delta;

    public IReadOnlyDictionary<string, long> ToDictionary() => new SortedDictionary<string, long>(_counts, StringComparer.Ordinal);
}
