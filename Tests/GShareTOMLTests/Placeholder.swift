import Testing
@testable import GShareTOML
