using System.Text;
using Pipeline.ML.Data;

namespace Pipeline.ML.Tests.Data;

public sealed class SftDatasetFileTests
{
    [Fact]
    public void LoadJsonl_FileWithBomCrLfAndNoFinalNewline_SameAsReader()
    {
        const string jsonl = "{\"text\": \"héllo 東京\"}\r\n\r\n{\"text\": \"b\"}";
        var path = Path.Combine(Path.GetTempPath(), $"sft-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(path, jsonl, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        try
        {
            var fromFile = SftDataset.LoadJsonl(path, ByteTokenizer.Instance, new SftDataOptions());
            var fromReader = SftDatasetFormatTests.Load(jsonl);

            Assert.Equal(fromReader.Select(e => (e.Line, e.InputIds, e.Labels)), fromFile.Select(e => (e.Line, e.InputIds, e.Labels)));
            Assert.Equal([1, 3], fromFile.Select(e => e.Line));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadJsonl_LinesLongerThanReadBuffer_ReadWhole()
    {
        // Lines that straddle the reader's 64 KiB blocks must be stitched back together byte for byte.
        var long1 = new string('x', 100_000);
        var long2 = string.Concat(Enumerable.Repeat("é", 70_000));
        var path = Path.Combine(Path.GetTempPath(), $"sft-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(path, $"{{\"text\": \"{long1}\"}}\n{{\"text\": \"{long2}\"}}\n");
        try
        {
            var examples = SftDataset.LoadJsonl(path, ByteTokenizer.Instance, new SftDataOptions { MaxLength = null });

            Assert.Equal([.. ByteTokenizer.Bytes(long1), ByteTokenizer.ImEnd], examples[0].InputIds);
            Assert.Equal([.. ByteTokenizer.Bytes(long2), ByteTokenizer.ImEnd], examples[1].InputIds);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
