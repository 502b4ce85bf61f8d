import Testing

// The four kinds of test (issue 16 item 6), declared in each test target (a tag is a member of one
// module). What each means, and the check that every suite carries one: MadoguchiCoreTests/TestTagsTests.swift.
extension Tag {
    @Tag static var unit: Self
    @Tag static var e2e: Self
    @Tag static var stress: Self
    @Tag static var fuzz: Self
}
