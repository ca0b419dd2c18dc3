//! Passes over the finished model, run in order by the driver.
