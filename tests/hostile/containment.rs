//! Nothing outside the project is ever read: pages, images, SVG resources
//! and logos that point outside their root are refused with a message
//! naming the file that pointed there.
