namespace Pipeline.Infra.Datasets;

/// <summary>
/// Dataset and version names end up in artifact names, workflow ids (<c>post-train/{dataset}@{version}</c>) and
/// queue payloads, so they are kept to characters that need no escaping anywhere.
/// </summary>
internal static class DatasetNames
{
    public const int MaxLength = 100;

    private const string Allowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";

    public static void Validate(string? value, string field)
    {
        if (Problem(value, field) is { } problem)
        {
            throw new ArgumentException(problem, field);
        }
    }

    /// <summary>What is wrong with <paramref name="value"/> as a <paramref name="field"/>, or null if nothing.</summary>
    public static string? Problem(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"{field} must not be empty; expected 1-{MaxLength} characters of [A-Za-z0-9._-].";
        }
        if (value.Length > MaxLength)
        {
            return $"{field} '{value[..20]}…' is {value.Length} characters long; expected at most {MaxLength}.";
        }
        var bad = value.AsSpan().IndexOfAnyExcept(Allowed);
        return bad < 0 ? null : $"{field} '{value}' contains '{value[bad]}' at position {bad}; expected only [A-Za-z0-9._-].";
    }
}
