import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
