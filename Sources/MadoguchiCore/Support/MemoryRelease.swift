import Foundation

/// Gives the memory a start-up freed back to the system (issue 14, P5). Reading and folding the
/// journal or its snapshot allocates and frees tens of megabytes; glibc keeps freed heap pages for
/// reuse, so the desk's resident size would stay at the start-up's peak for the whole day.
/// `malloc_trim` is glibc's, looked up at run time (the Glibc module does not export it); elsewhere
/// this does nothing.
enum MemoryRelease {
    private typealias Trim = @convention(c) (Int) -> Int32
    private static let trim: Trim? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim").map { unsafeBitCast($0, to: Trim.self) }

    static func returnFreePages() { _ = trim?(0) }
}
