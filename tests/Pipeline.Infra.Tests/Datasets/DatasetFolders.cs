using System.Text.Json;
using Pipeline.Infra.Bus;
using Pipeline.Infra.Contracts;

namespace Pipeline.Infra.Tests.Datasets;

/// <summary>Small dataset folders to publish, and the outbox's pending events decoded.</summary>
public static class DatasetFolders
{
    public static readonly string[] Files = ["train.jsonl", "eval/test.jsonl", "README.md"];

    /// <summary>Three files, one in a subfolder; <paramref name="salt"/> changes one file's bytes.</summary>
    public static string Make(string parent, string name, string salt = "")
    {
        var dir = Path.Combine(parent, name);
        Directory.CreateDirectory(Path.Combine(dir, "eval"));
        File.WriteAllText(Path.Combine(dir, "train.jsonl"), "{\"q\":\"1+1\",\"a\":\"2\"}\n{\"q\":\"2+2\",\"a\":\"4\"}\n" + salt);
        File.WriteAllText(Path.Combine(dir, "eval", "test.jsonl"), "{\"q\":\"3+3\",\"a\":\"6\"}\n");
        File.WriteAllText(Path.Combine(dir, "README.md"), "# arith\n");
        return dir;
    }

    public static long TotalBytes(string dir) =>
        Files.Sum(f => new FileInfo(Path.Combine(dir, f)).Length);

    public static void AssertSameFiles(string expected, string actual)
    {
        foreach (var f in Files)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(expected, f)), File.ReadAllBytes(Path.Combine(actual, f)));
        }
        Assert.Equal(Files.Length, Directory.EnumerateFiles(actual, "*", SearchOption.AllDirectories).Count());
    }

    public static async Task<IReadOnlyList<DatasetVersionPublished>> PendingEventsAsync(IEventOutbox outbox)
    {
        var rows = await outbox.PendingAsync(100);
        Assert.All(rows, r => Assert.StartsWith(typeof(DatasetVersionPublished).FullName!, r.TypeName));
        return rows.Select(r => JsonSerializer.Deserialize<DatasetVersionPublished>(r.Json)!).ToList();
    }
}
