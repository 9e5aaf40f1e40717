namespace RemoteWrite.LocalAzure.Tests; public class Placeholder { [Fact] public void T() => Assert.True(true); }
