namespace Pipeline.Ui.Tests.Support;

/// <summary>Every UI test shares one world of real runs and one browser: building the world runs the recipe three
/// times, far too slow to repeat per class.</summary>
[CollectionDefinition(Name)]
public sealed class UiCollection : ICollectionFixture<UiWorld>, ICollectionFixture<Browser>
{
    public const string Name = "ui";
}
