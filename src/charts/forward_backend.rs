//! A backend that wraps another and changes only how text is drawn or measured forwards every
//! shape call unchanged: [`forward_shapes`] writes those methods (native bitmap/SVG backends and
//! the page canvas use it). The caller's scope must import plotters-backend's `BackendColor`,
//! `BackendCoord`, `BackendStyle` and `DrawingErrorKind`.

/// Forwards every shape call (all methods but `draw_text` and `estimate_text_size`) to
/// `self.inner`.
macro_rules! forward_shapes {
    () => {
        fn get_size(&self) -> (u32, u32) {
            self.inner.get_size()
        }
        $crate::charts::forward_backend::forward_shapes!(except_size);
    };
    // Everything but `get_size`, for a backend that lays out at another size than its buffer's.
    (except_size) => {
        fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.inner.ensure_prepared()
        }
        fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.inner.present()
        }
        fn draw_pixel(
            &mut self,
            point: BackendCoord,
            color: BackendColor,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.inner.draw_pixel(point, color)
        }
        fn draw_line<S: BackendStyle>(
            &mut self,
            from: BackendCoord,
            to: BackendCoord,
            style: &S,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.inner.draw_line(from, to, style)
        }
        fn draw_rect<S: BackendStyle>(
            &mut self,
            upper_left: BackendCoord,
            bottom_right: BackendCoord,
            style: &S,
            fill: bool,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.inner.draw_rect(upper_left, bottom_right, style, fill)
        }
        fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
            &mut self,
            path: I,
            style: &S,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.inner.draw_path(path, style)
        }
        fn draw_circle<S: BackendStyle>(
            &mut self,
            center: BackendCoord,
            radius: u32,
            style: &S,
            fill: bool,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.inner.draw_circle(center, radius, style, fill)
        }
        fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
            &mut self,
            vertices: I,
            style: &S,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.inner.fill_polygon(vertices, style)
        }
        fn blit_bitmap(
            &mut self,
            position: BackendCoord,
            size: (u32, u32),
            source: &[u8],
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.inner.blit_bitmap(position, size, source)
        }
    };
}

pub(crate) use forward_shapes;
