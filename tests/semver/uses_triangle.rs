//! A consumer of a crate whose `Shape` union has a `Triangle` variant: builds one and matches
//! it. Checked, not run.

use atlas_streams::models::{Shape, Triangle};

fn main() {
    let shape = Shape::from(Triangle::new().base(3.0));
    match &shape {
        Shape::Triangle(triangle) => println!("triangle {:?}", triangle.base),
        other => println!("{:?}", other.tag()),
    }
}
