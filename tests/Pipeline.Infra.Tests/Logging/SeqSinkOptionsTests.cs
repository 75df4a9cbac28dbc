using Pipeline.Infra.Logging;

namespace Pipeline.Infra.Tests.Logging;

public sealed class SeqSinkOptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass()
    {
        new SeqSinkOptions { ServerUrl = new Uri("http://seq:5341") }.Validate();
    }

    [Fact]
    public void Validate_BadValues_NamesEveryOne()
    {
        var options = new SeqSinkOptions
        {
            ServerUrl = new Uri("ftp://seq/"),
            QueueLimit = 0,
            BatchSize = 0,
            MinBackoff = TimeSpan.FromSeconds(10),
            MaxBackoff = TimeSpan.FromSeconds(1),
        };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("ServerUrl 'ftp://seq/' must be an absolute http:// or https:// address", error.Message);
        Assert.Contains("QueueLimit must be at least 1", error.Message);
        Assert.Contains("BatchSize must be at least 1", error.Message);
        Assert.Contains("MinBackoff <= MaxBackoff", error.Message);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsBeforeStarting()
    {
        Assert.Throws<ArgumentException>(() => new SeqSink(new SeqSinkOptions { ServerUrl = new Uri("http://seq"), BatchSize = -1 }));
    }
}
