using System.ComponentModel;
using System.Reflection;

namespace Pipeline.Infra.Configuration;

/// <summary>
/// The settings a <see cref="PipelineSettings"/> can bind, found by reflection, so that a mistyped key or an
/// unconvertible value is reported with its full key and what was expected, instead of being silently ignored
/// (the configuration binder's default) or failing on the first one with a type name.
/// </summary>
public static class SettingsSchema
{
    private static readonly string[] SecretNames = ["Password", "SecretKey", "Token", "ApiKey", "SeqApiKey"];
    private static readonly Lazy<IReadOnlyList<SettingDescriptor>> AllSettings = new(() => Walk(typeof(PipelineSettings), PipelineSettings.Section).ToList());

    /// <summary>Every leaf setting, in declaration order.</summary>
    public static IReadOnlyList<SettingDescriptor> All => AllSettings.Value;

    /// <summary>The descriptor a configuration key binds to (case-insensitive; a key under a map binds to the map), or null.</summary>
    public static SettingDescriptor? Find(string key) =>
        All.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase))
        ?? All.FirstOrDefault(s => s.IsMap && key.StartsWith(s.Key + ":", StringComparison.OrdinalIgnoreCase));

    /// <summary>True when <paramref name="key"/> is a section that contains settings (<c>Pipeline:S3</c>).</summary>
    public static bool IsSection(string key) =>
        All.Any(s => s.Key.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase));

    /// <summary>The closest known key, for "did you mean …?" (edit distance of the last segment, at most 3).</summary>
    public static string? Suggest(string key)
    {
        var cut = key.LastIndexOf(':');
        var parent = cut < 0 ? "" : key[..cut];
        var leaf = key[(cut + 1)..];
        return All.Select(s => s.Key)
            .Where(k => k.LastIndexOf(':') is var c && c >= 0 && string.Equals(k[..c], parent, StringComparison.OrdinalIgnoreCase))
            .Select(k => (Key: k, Distance: Distance(leaf.ToLowerInvariant(), k[(k.LastIndexOf(':') + 1)..].ToLowerInvariant())))
            .Where(x => x.Distance <= 3)
            .OrderBy(x => x.Distance)
            .Select(x => x.Key)
            .FirstOrDefault();
    }

    /// <summary>Null when <paramref name="value"/> converts to <paramref name="setting"/>'s type as the binder would,
    /// else what was expected.</summary>
    public static string? CheckValue(SettingDescriptor setting, string value)
    {
        var type = Nullable.GetUnderlyingType(setting.Type) ?? setting.Type;
        if (setting.IsMap || type == typeof(string)) return null;
        if (type.IsEnum)
        {
            // The binder's EnumConverter also takes numbers and undefined values; a setting is spelled out here.
            return Enum.GetNames(type).Any(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase)) ? null : setting.Expected;
        }
        if (type == typeof(Uri))
        {
            return Uri.TryCreate(value, UriKind.Absolute, out _) ? null : setting.Expected;
        }
        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return null;
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or OverflowException
            || e.InnerException is FormatException or OverflowException)
        {
            return setting.Expected;
        }
    }

    /// <summary>The bound value of <paramref name="setting"/> in <paramref name="settings"/> (what the pipeline will use,
    /// defaults included), as text; null when unset. Maps come back as <c>key=value</c> pairs.</summary>
    public static string? ValueOf(PipelineSettings settings, SettingDescriptor setting)
    {
        object? current = settings;
        foreach (var name in setting.Key.Split(':').Skip(1))
        {
            if (current is null) return null;
            var property = current.GetType().GetProperty(name)!;
            // An optional section that is not configured (Mlflow) still has defaults worth showing.
            current = property.GetValue(current) ?? (property.PropertyType.GetConstructor(Type.EmptyTypes) is not null
                && !IsLeaf(property.PropertyType) ? Activator.CreateInstance(property.PropertyType) : null);
        }
        return current switch
        {
            null => null,
            IEnumerable<KeyValuePair<string, string>> map => string.Join(", ", map.Select(kv => $"{kv.Key}={kv.Value}")),
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => current.ToString(),
        };
    }

    public static string EnvironmentVariableFor(string key) => key.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant();

    internal static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum) return "one of: " + string.Join(", ", Enum.GetNames(type));
        if (type == typeof(int) || type == typeof(long)) return "a whole number";
        if (type == typeof(double)) return "a number";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(TimeSpan)) return "a duration as [d.]hh:mm:ss[.fff], e.g. 00:00:30";
        if (type == typeof(Uri)) return "an absolute URL, e.g. http://mlflow:5000/";
        return "text";
    }

    private static IEnumerable<SettingDescriptor> Walk(Type type, string prefix)
    {
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.SetMethod is not { IsPublic: true } || p.GetIndexParameters().Length > 0) continue;
            var key = prefix + ":" + p.Name;
            var t = p.PropertyType;
            if (IsMap(t))
            {
                yield return new SettingDescriptor(key, t, IsSecret: false, IsMap: true);
            }
            else if (IsLeaf(t))
            {
                yield return new SettingDescriptor(key, t, IsSecret: SecretNames.Contains(p.Name), IsMap: false);
            }
            else
            {
                foreach (var child in Walk(t, key)) yield return child;
            }
        }
    }

    private static bool IsLeaf(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(TimeSpan) || t == typeof(Uri) || t == typeof(decimal);
    }

    private static bool IsMap(Type t) =>
        t.IsGenericType && t.GetGenericTypeDefinition() is var g
        && (g == typeof(IReadOnlyDictionary<,>) || g == typeof(IDictionary<,>) || g == typeof(Dictionary<,>));

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }
        return d[a.Length, b.Length];
    }
}
